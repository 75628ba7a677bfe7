"""The notice ledger's part of the storage contract, on every backend."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from insertion_core.errors import NotFoundError
from insertion_core.notify.ledger import LedgerEntry, LedgerStatus

from .test_contract import add_programme

NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


def entry(
    notice_id: str, status: LedgerStatus, programme_id: str = "gonesse", **more: Any
) -> LedgerEntry:
    return LedgerEntry(
        notice_id, programme_id, "smtp", f"{programme_id}/checkin_due/{notice_id}", status, **more
    )


def test_an_entry_round_trips_with_every_field(storage: Any) -> None:
    add_programme(storage)
    saved = entry(
        "n1",
        LedgerStatus.RETRYING,
        attempts=2,
        last_error="SMTPServerDisconnected: bye",
        next_attempt_at=NOW + dt.timedelta(minutes=15),
        updated_at=NOW,
    )
    with storage.unit_of_work() as uow:
        assert uow.notices.get("n1") is None
        uow.notices.save(saved)
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.notices.get("n1") == saved


def test_saving_replaces_and_rollback_forgets(storage: Any) -> None:
    add_programme(storage)
    sending = entry("n1", LedgerStatus.SENDING, attempts=1, updated_at=NOW)
    with storage.unit_of_work() as uow:
        uow.notices.save(sending)
        uow.commit()
    with storage.unit_of_work() as uow:
        uow.notices.save(attrs.evolve(sending, status=LedgerStatus.SENT))
        # left without commit
    with storage.unit_of_work() as uow:
        assert uow.notices.get("n1") == sending
        uow.notices.save(attrs.evolve(sending, status=LedgerStatus.SENT))
        uow.commit()
    with storage.unit_of_work() as uow:
        got = uow.notices.get("n1")
        assert got is not None and got.status is LedgerStatus.SENT


def test_unsettled_lists_what_was_not_sent_in_one_programme(storage: Any) -> None:
    add_programme(storage, "gonesse")
    add_programme(storage, "cergy")
    with storage.unit_of_work() as uow:
        uow.notices.save(entry("b", LedgerStatus.FAILED, attempts=6, last_error="x"))
        uow.notices.save(entry("a", LedgerStatus.RETRYING, attempts=1))
        uow.notices.save(entry("c", LedgerStatus.SENT, attempts=1))
        uow.notices.save(entry("d", LedgerStatus.SENDING, attempts=1))
        uow.notices.save(entry("e", LedgerStatus.FAILED, "cergy", attempts=6))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert [e.notice_id for e in uow.notices.unsettled("gonesse")] == ["a", "b", "d"]
        assert [e.notice_id for e in uow.notices.unsettled("cergy")] == ["e"]


def test_an_entry_for_an_unknown_programme_is_refused(storage: Any) -> None:
    with storage.unit_of_work() as uow, pytest.raises(NotFoundError):
        uow.notices.save(entry("n1", LedgerStatus.SENDING, "nowhere"))
