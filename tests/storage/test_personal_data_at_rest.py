"""Personal data at rest (issue 15, point 6): the SQLite file and the files SQLite keeps beside it
are readable by their owner only, whatever the umask, however the database is opened."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from insertion_core import Participant, PersonalData, Workspace, get_plugin_manager

from ..conftest import PROGRAMME_TOML


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets every user read new files, as many servers have."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def modes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()}


def test_a_database_created_through_the_api_is_private_with_its_wal_files(
    tmp_path: Path, open_umask: None
) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    pm = get_plugin_manager(load_entry_points=False)
    with Workspace.open(url, plugin_manager=pm, initialise=True) as workspace:
        workspace.save_programme(PROGRAMME_TOML, "gonesse.toml")
        workspace.enrol(
            "gonesse",
            Participant("A1", "C1", dt.date(2025, 9, 1)),
            PersonalData("A1", "Alice", "Martin", "alice@example.org", "06 11 22 33 44"),
        )
        with workspace.storage.unit_of_work() as uow:  # the -wal and -shm files exist now
            uow.programmes.ids()
            assert modes(tmp_path) == {"site.db": 0o600, "site.db-wal": 0o600, "site.db-shm": 0o600}
    assert modes(tmp_path)["site.db"] == 0o600


def test_the_wal_files_of_a_later_session_are_private_too(tmp_path: Path, open_umask: None) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    pm = get_plugin_manager(load_entry_points=False)
    Workspace.open(url, plugin_manager=pm, initialise=True).close()
    for name in ("site.db-wal", "site.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with Workspace.open(url, plugin_manager=pm) as workspace:  # no initialise: umask 022 applies
        workspace.save_programme(PROGRAMME_TOML, "gonesse.toml")
        with workspace.storage.unit_of_work() as uow:
            uow.programmes.ids()
            assert set(modes(tmp_path).values()) == {0o600}
            assert "site.db-wal" in modes(tmp_path)


def test_a_rollback_journal_gets_the_database_files_mode(tmp_path: Path, open_umask: None) -> None:
    """The storage runs SQLite in WAL mode; a tool that switches the file back to a rollback
    journal still gets a ``-journal`` file as private as the database."""
    path = tmp_path / "site.db"
    Workspace.open(
        f"sqlite:///{path}",
        plugin_manager=get_plugin_manager(load_entry_points=False),
        initialise=True,
    ).close()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("CREATE TABLE scratch (x)")
        connection.execute("INSERT INTO scratch VALUES (1)")
        assert modes(tmp_path) == {"site.db": 0o600, "site.db-journal": 0o600}
        connection.execute("ROLLBACK")
    finally:
        connection.close()
