"""The audit journal part of the storage contract, on memory, SQLite and PostgreSQL.

Entries are numbered in the order they were written and read back as they
were given; a participant is named by a token that is not their id; an
entry lives and dies with its transaction; forgetting a token leaves the
entries in place, naming nobody.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest

from insertion_core.audit import AuditEntry, forget_subject, read_journal, record

from .conftest import Opener
from .test_contract import add_programme

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def entries(storage: Any, programme_id: str = "gonesse", **kwargs: Any) -> list[Any]:
    with storage.unit_of_work(read_only=True) as uow:
        return list(uow.audit.entries(programme_id, **kwargs))


def test_entries_read_back_in_order_with_their_numbers(storage: Any) -> None:
    add_programme(storage)
    add_programme(storage, "other")
    with storage.unit_of_work() as uow:
        first = record(uow, "alice", "programme.save", "gonesse", at=T0)
        second = record(
            uow,
            "bob",
            "import",
            "gonesse",
            counts={"participants.added": 12, "exits.added": 0},
            at=T0 + dt.timedelta(minutes=5),
        )
        record(uow, "carol", "programme.save", "other", at=T0)
        uow.commit()
    assert first.seq is not None and second.seq is not None and first.seq < second.seq
    assert entries(storage) == [
        (AuditEntry(T0, "alice", "programme.save", "gonesse", seq=first.seq), None),
        (
            AuditEntry(
                T0 + dt.timedelta(minutes=5),
                "bob",
                "import",
                "gonesse",
                counts={"exits.added": 0, "participants.added": 12},
                seq=second.seq,
            ),
            None,
        ),
    ]
    [(other, _)] = entries(storage, "other")
    assert other.actor == "carol"


def test_a_participant_is_named_by_a_token_that_is_not_their_id(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        enrolled = record(uow, "alice", "participant.enrol", "gonesse", "P-001", at=T0)
        exited = record(uow, "alice", "participant.exit", "gonesse", "P-001", at=T0)
        other = record(uow, "alice", "participant.enrol", "gonesse", "P-002", at=T0)
        uow.commit()
    assert enrolled.subject is not None and len(enrolled.subject) == 32
    assert "P-001" not in enrolled.subject
    assert exited.subject == enrolled.subject  # one token per participant
    assert other.subject != enrolled.subject
    with storage.unit_of_work(read_only=True) as uow:
        assert uow.audit.subject("gonesse", "P-001") == enrolled.subject
        assert uow.audit.subject("gonesse", "P-404") is None
        mine = read_journal(uow, "gonesse", participant_id="P-001")
    assert [line.entry.operation for line in mine] == ["participant.enrol", "participant.exit"]
    assert {line.participant_id for line in mine} == {"P-001"}


def test_a_token_is_kept_once_made(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        made = uow.audit.link_subject("gonesse", "P-001", "a" * 32)
        again = uow.audit.link_subject("gonesse", "P-001", "b" * 32)
        uow.commit()
    assert made == again == "a" * 32


def test_since_keeps_the_entries_recorded_at_or_after_it(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        for minutes in (0, 10, 20):
            record(uow, "alice", "programme.save", "gonesse", at=T0 + dt.timedelta(minutes=minutes))
        uow.commit()
    since = entries(storage, since=T0 + dt.timedelta(minutes=10))
    assert [e.recorded_at for e, _ in since] == [
        T0 + dt.timedelta(minutes=10),
        T0 + dt.timedelta(minutes=20),
    ]


def test_an_entry_is_rolled_back_with_its_transaction(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        record(uow, "alice", "participant.enrol", "gonesse", "P-001", at=T0)
        # leaving without commit rolls the entry and the new token back
    assert entries(storage) == []
    with storage.unit_of_work(read_only=True) as uow:
        assert uow.audit.subject("gonesse", "P-001") is None


def test_forgetting_a_subject_leaves_its_entries_naming_nobody(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        kept = record(uow, "alice", "participant.enrol", "gonesse", "P-001", at=T0)
        record(uow, "alice", "participant.enrol", "gonesse", "P-002", at=T0)
        uow.commit()
    with storage.unit_of_work() as uow:
        assert forget_subject(uow, "gonesse", "P-001") is True
        assert forget_subject(uow, "gonesse", "P-001") is False
        uow.commit()
    with storage.unit_of_work(read_only=True) as uow:
        lines = read_journal(uow, "gonesse")
        assert read_journal(uow, "gonesse", participant_id="P-001") == []
    assert [(line.entry.subject, line.participant_id) for line in lines] == [
        (kept.subject, None),
        (lines[1].entry.subject, "P-002"),
    ]
    assert lines[0].forgotten and not lines[1].forgotten


@pytest.mark.parametrize(
    ("operation", "counts", "message"),
    [
        ("Participant exit", None, "dotted lower-case code"),
        ("participant.exit", {"Nom": 1}, "dotted lower-case code"),
        ("import", {"rows": -1}, "whole number >= 0"),
        ("import", {"rows": "12"}, "whole number >= 0"),
        ("import", {"rows": True}, "whole number >= 0"),
    ],
)
def test_an_entry_holds_codes_and_numbers_only(
    open_storage: Opener, operation: str, counts: Any, message: str
) -> None:
    storage = open_storage()
    add_programme(storage)
    with storage.unit_of_work() as uow, pytest.raises(ValueError, match=message):
        record(uow, "alice", operation, "gonesse", counts=counts)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def test_two_transactions_naming_a_participant_at_once_agree_on_one_token(
    backend: str, request: pytest.FixtureRequest, tmp_path: Any
) -> None:
    """The second waits for the first, then reads its token instead of making another."""
    from insertion_core.default_plugins.sql import SqlStorage

    url = (
        f"sqlite:///{tmp_path / 'tokens.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    storage = SqlStorage.open(url)
    try:
        storage.initialise()
        add_programme(storage)
        first_linked = threading.Event()
        second: list[str] = []

        def link_second() -> None:
            first_linked.wait(10)
            with storage.unit_of_work() as uow:
                second.append(uow.audit.link_subject("gonesse", "P-001", "b" * 32))
                uow.commit()

        other = threading.Thread(target=link_second)
        other.start()
        with storage.unit_of_work() as uow:
            first = uow.audit.link_subject("gonesse", "P-001", "a" * 32)
            first_linked.set()
            time.sleep(0.3)  # the other transaction is now waiting for this one
            uow.commit()
        other.join(20)
        assert (first, second) == ("a" * 32, ["a" * 32])
    finally:
        storage.close()
