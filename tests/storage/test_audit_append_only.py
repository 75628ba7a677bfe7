"""The database itself keeps the audit journal append-only, on SQLite and PostgreSQL.

Raw SQL, as any client of the database could send it (the engine reports the
database's refusal as a StorageError): UPDATE and DELETE (and
TRUNCATE on PostgreSQL) are refused by the triggers of migration 0007, and
the entries are unchanged afterwards. Adding entries still works.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from insertion_core.audit import record
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.errors import StorageError

from .test_contract import add_programme

REFUSALS = [
    "UPDATE audit_journal SET actor = 'mallory'",
    "UPDATE audit_journal SET subject = NULL WHERE operation = 'participant.enrol'",
    "DELETE FROM audit_journal",
    "DELETE FROM audit_journal WHERE operation = 'programme.save'",
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStorage]:
    """An initialised SQL storage whose journal has two entries."""
    if request.param == "sqlite":
        storage = SqlStorage.open(f"sqlite:///{tmp_path / 'audit.db'}")
    else:
        storage = SqlStorage.open(request.getfixturevalue("pg_url"))
    storage.initialise()
    add_programme(storage)
    with storage.unit_of_work() as uow:
        record(uow, "alice", "programme.save", "gonesse")
        record(uow, "alice", "participant.enrol", "gonesse", "P-001")
        uow.commit()
    yield storage
    storage.close()


def rows(storage: SqlStorage) -> list[tuple[object, ...]]:
    with storage.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(text("SELECT * FROM audit_journal ORDER BY seq"))
        ]


@pytest.mark.parametrize("statement", REFUSALS)
def test_a_raw_update_or_delete_is_refused(journal: SqlStorage, statement: str) -> None:
    before = rows(journal)
    assert len(before) == 2
    refused = pytest.raises(StorageError, match="the audit journal is append-only")
    with refused, journal.engine.begin() as connection:
        connection.execute(text(statement))
    assert rows(journal) == before


@pytest.mark.postgresql
def test_truncate_is_refused_on_postgresql(request: pytest.FixtureRequest) -> None:
    storage = SqlStorage.open(request.getfixturevalue("pg_url"))
    try:
        storage.initialise()
        add_programme(storage)
        with storage.unit_of_work() as uow:
            record(uow, "alice", "programme.save", "gonesse")
            uow.commit()
        refused = pytest.raises(StorageError, match="append-only: TRUNCATE refused")
        with refused, storage.engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_journal"))
        assert len(rows(storage)) == 1
    finally:
        storage.close()


def test_entries_are_still_added_after_a_refusal(journal: SqlStorage) -> None:
    with pytest.raises(StorageError), journal.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_journal"))
    with journal.unit_of_work() as uow:
        added = record(uow, "bob", "import", "gonesse", counts={"participants.added": 3})
        uow.commit()
    assert [row[0] for row in rows(journal)][-1] == added.seq
    assert len(rows(journal)) == 3


def test_the_subject_mapping_may_be_deleted(journal: SqlStorage) -> None:
    """Erasure deletes mapping rows: the triggers guard the journal only."""
    with journal.engine.begin() as connection:
        deleted = connection.execute(text("DELETE FROM audit_subjects")).rowcount
    assert deleted == 1
    assert len(rows(journal)) == 2
