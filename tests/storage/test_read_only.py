"""Read-only units of work: a snapshot that neither waits for writers nor writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, text

from insertion_core import Workspace, get_plugin_manager
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import Participant
from insertion_core.domain.programme import loads_programme
from insertion_core.errors import StorageError
from insertion_core.importing import import_file

from .conftest import programme_toml


def with_programme(opened: SqlStorage) -> SqlStorage:
    opened.initialise()
    with opened.unit_of_work() as uow:
        uow.programmes.save(loads_programme(programme_toml("p")), programme_toml("p"))
        uow.commit()
    return opened


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStorage]:
    if request.param == "sqlite":
        opened = SqlStorage.open(f"sqlite:///{tmp_path / 'insertion.db'}")
    else:
        opened = SqlStorage.open(request.getfixturevalue("pg_url"))
    yield with_programme(opened)
    opened.close()


@pytest.fixture
def postgresql(pg_url: URL) -> Iterator[SqlStorage]:
    opened = SqlStorage.open(pg_url)
    yield with_programme(opened)
    opened.close()


def journey(participant_id: str) -> Journey:
    return Journey(Participant(participant_id, "c1", dt.date(2024, 1, 8)))


def test_a_reader_sees_one_snapshot_while_a_writer_commits(storage: SqlStorage) -> None:
    with storage.unit_of_work(read_only=True) as reader:
        assert reader.journeys.count("p") == 0
        with storage.unit_of_work() as writer:
            writer.journeys.save("p", journey("w"))
            writer.commit()
        assert reader.journeys.count("p") == 0  # still the data as it was at its start
    with storage.unit_of_work(read_only=True) as later:
        assert later.journeys.count("p") == 1


@pytest.mark.postgresql
def test_postgresql_readers_are_repeatable_read_and_read_only(postgresql: SqlStorage) -> None:
    with postgresql.unit_of_work(read_only=True) as reader:
        session = reader.session
        assert session.scalar(text("SHOW transaction_isolation")) == "repeatable read"
        assert session.scalar(text("SHOW transaction_read_only")) == "on"
        with pytest.raises(StorageError, match="read-only transaction"):
            reader.journeys.save("p", journey("r"))
    with postgresql.unit_of_work() as writer:  # the pooled connection is a writer's again
        session = writer.session
        assert session.scalar(text("SHOW transaction_isolation")) == "read committed"
        assert session.scalar(text("SHOW transaction_read_only")) == "off"


def test_a_dry_run_import_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'insertion.db'}"
    with_programme(SqlStorage.open(url)).close()
    impatient = SqlStorage.open(url, busy_timeout_ms=100)
    workspace = Workspace(impatient, get_plugin_manager(load_entry_points=False))
    data = tmp_path / "participants.csv"
    data.write_text("participant_id,cohort_id,entry_date\nP1,c1,2024-01-08\n", encoding="utf-8")
    holder = SqlStorage.open(url)
    with holder.unit_of_work() as writer:
        writer.journeys.save("p", journey("w"))  # holds the write lock until the end
        summary = import_file(workspace, "p", "participants", data, dry_run=True)
        assert summary.dry_run and summary.counts["participants"].added == 1
    holder.close()
    impatient.close()
