"""Erased means gone: no table holds an erased person's identifiers or personal values, and on
SQLite neither do the file's bytes nor its write-ahead log (docs/personal-data.md).

The table search reflects the live schema, so a table added later (and
forgotten by erasure) fails it too. Each search is first shown to find the
values before they are erased.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from sqlalchemy import URL, Engine, MetaData, select

from insertion_core import Workspace
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain.model import PersonalData
from insertion_core.notify.ledger import LedgerEntry, LedgerStatus
from insertion_core.notify.notice import Notice, NoticeKind
from insertion_core.plugins import get_plugin_manager
from insertion_core.privacy import erase_participant, run_retention
from insertion_core.privacy.retention import without_free_text

from ..privacy.conftest import (
    EMAIL,
    FIRST,
    LAST,
    NOTE,
    PHONE,
    PROGRAMME,
    REASON,
    journey,
    store,
)

ERASED = "ZQX-4711"
#: Who stays: the same journey with a note of their own.
KEPT = attrs.evolve(
    without_free_text(journey("KEEP-1")),
    contacts=tuple(attrs.evolve(c, note="Autre note") for c in journey().contacts),
)
PERSONAL_VALUES = (FIRST, LAST, EMAIL, PHONE, NOTE, REASON)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | URL:
    if request.param == "postgresql":
        found: URL = request.getfixturevalue("pg_url")
        return found
    return f"sqlite:///{tmp_path / 'site.db'}"


@pytest.fixture
def site(url: str | URL) -> Iterator[Workspace]:
    """The person to erase (with notices about them) and someone who stays, with other values."""
    yield from open_site(url)


@pytest.fixture
def sqlite_site(tmp_path: Path) -> Iterator[Workspace]:
    """The same site in a SQLite file, whose bytes the tests below search."""
    yield from open_site(f"sqlite:///{tmp_path / 'site.db'}")


def open_site(url: str | URL) -> Iterator[Workspace]:
    storage = SqlStorage.open(url)
    storage.initialise()
    workspace = Workspace(storage, get_plugin_manager(load_entry_points=False))
    workspace.save_programme(PROGRAMME)
    store(workspace, journey(ERASED))
    store(workspace, KEPT, names=False)
    with storage.unit_of_work() as uow:
        for notice in notices():
            uow.notices.save(
                LedgerEntry(notice.id_for("smtp"), "site", "smtp", notice.key, LedgerStatus.SENT, 1)
            )
        uow.commit()
    yield workspace
    workspace.close()


def notices() -> list[Notice]:
    return [
        Notice("site", NoticeKind.CHECKIN_DUE, ERASED, dt.date(2024, 7, 28), checkpoint_months=1),
        Notice("site", NoticeKind.AT_RISK, ERASED, dt.date(2024, 1, 8)),
    ]


def identifiers() -> tuple[str, ...]:
    """What identifies the erased person: their id, the ids of the notices about them, and
    their personal values."""
    return (ERASED, *(n.id_for("smtp") for n in notices()), *PERSONAL_VALUES)


def held_in_tables(engine: Engine, values: tuple[str, ...]) -> set[tuple[str, str]]:
    """(table, value) for every value found as text in any column of any table."""
    metadata = MetaData()
    metadata.reflect(engine)
    found = set()
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                text = "\x1f".join(str(cell) for cell in row)
                found |= {(table.name, value) for value in values if value in text}
    return found


def held_in_file(database: Path, values: tuple[str, ...]) -> set[str]:
    """The values whose UTF-8 bytes are in the SQLite file or beside it (-wal, -journal)."""
    found = set()
    for path in database.parent.glob(database.name + "*"):
        data = path.read_bytes()
        found |= {value for value in values if value.encode() in data}
    return found


def engine_of(workspace: Workspace) -> Engine:
    assert isinstance(workspace.storage, SqlStorage)
    return workspace.storage.engine


def test_erasure_leaves_the_person_in_no_table(site: Workspace) -> None:
    engine = engine_of(site)
    tables = {table for table, _ in held_in_tables(engine, identifiers())}
    assert tables == {
        "participants",
        "participant_facts",
        "personal_data",
        "contact_notes",
        "attendance_reasons",
        "notices",
    }
    erasure = erase_participant(site, "site", ERASED)
    assert (erasure.journey, erasure.personal_data, erasure.notices) == (True, True, 2)
    assert held_in_tables(engine, identifiers()) == set()
    assert held_in_tables(engine, ("KEEP-1", "Autre note")) == {
        ("participants", "KEEP-1"),
        ("participant_facts", "KEEP-1"),
        ("contact_notes", "Autre note"),
    }  # the other participant is untouched


def test_retention_leaves_no_personal_value_in_any_table(site: Workspace) -> None:
    engine = engine_of(site)
    assert {value for _, value in held_in_tables(engine, PERSONAL_VALUES)} == set(PERSONAL_VALUES)
    run_retention(site, "site", as_of=dt.date(2026, 12, 30), apply=True)
    assert held_in_tables(engine, PERSONAL_VALUES) == set()


def database_file(workspace: Workspace) -> Path:
    database = engine_of(workspace).url.database
    assert engine_of(workspace).dialect.name == "sqlite" and database is not None
    return Path(database)


def test_erasure_leaves_nothing_of_the_person_in_the_sqlite_file(sqlite_site: Workspace) -> None:
    database = database_file(sqlite_site)
    assert held_in_file(database, identifiers()) == set(identifiers())
    erase_participant(sqlite_site, "site", ERASED)
    assert held_in_file(database, identifiers()) == set()
    assert held_in_file(database, ("KEEP-1", "Autre note")) == {"KEEP-1", "Autre note"}


def test_retention_leaves_no_personal_value_in_the_sqlite_file(sqlite_site: Workspace) -> None:
    database = database_file(sqlite_site)
    assert held_in_file(database, PERSONAL_VALUES) == set(PERSONAL_VALUES)
    run = run_retention(sqlite_site, "site", as_of=dt.date(2026, 12, 30), apply=True)
    assert run.shredded is True
    assert held_in_file(database, PERSONAL_VALUES) == set()


def test_every_sqlite_connection_overwrites_what_it_deletes(sqlite_site: Workspace) -> None:
    database_file(sqlite_site)
    with engine_of(sqlite_site).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def checkpoint(workspace: Workspace) -> None:
    """Copy the write-ahead log into the file and empty it, as SQLite does from time to time."""
    with engine_of(workspace).connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_an_ordinary_deletion_leaves_no_bytes_behind_on_sqlite(sqlite_site: Workspace) -> None:
    """secure_delete alone, without the VACUUM of an erasure: personal data removed in an
    ordinary unit of work (an import emptying it) is not left in the file's free space."""
    database = database_file(sqlite_site)
    names = (FIRST, LAST, EMAIL, PHONE)
    checkpoint(sqlite_site)
    assert held_in_file(database, names) == set(names)
    with sqlite_site.storage.unit_of_work() as uow:
        uow.personal.save("site", PersonalData(ERASED))
        uow.commit()
    checkpoint(sqlite_site)
    assert held_in_file(database, names) == set()


def test_without_secure_delete_the_bytes_of_a_deletion_would_stay(sqlite_site: Workspace) -> None:
    """The control of the test above: SQLite's own default (off in most builds) leaves them."""
    names = (FIRST, LAST, EMAIL, PHONE)
    database = database_file(sqlite_site)
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA secure_delete = OFF")
        connection.execute("DELETE FROM personal_data")
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert held_in_file(database, names) == set(names)
