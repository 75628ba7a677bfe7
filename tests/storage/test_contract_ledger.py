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


def claimed(previous: LedgerEntry, owner: str) -> LedgerEntry:
    """``previous`` claimed by ``owner`` for ten minutes."""
    return attrs.evolve(
        previous,
        status=LedgerStatus.SENDING,
        attempts=previous.attempts + 1,
        owner=owner,
        lease_until=NOW + dt.timedelta(minutes=10),
        updated_at=NOW,
    )


def test_a_notice_never_tried_is_claimed_by_the_first_swap_only(storage: Any) -> None:
    add_programme(storage)
    first = claimed(entry("n1", LedgerStatus.SENDING), "host-a:1:aa")
    second = claimed(entry("n1", LedgerStatus.SENDING), "host-b:2:bb")
    with storage.unit_of_work() as uow:
        assert uow.notices.compare_and_swap(first, None) is True
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.notices.compare_and_swap(second, None) is False
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.notices.get("n1") == first  # owner and lease round-trip


def test_a_swap_from_a_stale_version_is_refused(storage: Any) -> None:
    add_programme(storage)
    retrying = entry("n1", LedgerStatus.RETRYING, attempts=1, last_error="x", owner="host-a:1:aa")
    with storage.unit_of_work() as uow:
        uow.notices.save(retrying)
        uow.commit()
    won = claimed(retrying, "host-b:2:bb")
    lost = claimed(retrying, "host-c:3:cc")
    with storage.unit_of_work() as uow:
        assert uow.notices.compare_and_swap(won, retrying) is True
        uow.commit()
    with storage.unit_of_work() as uow:
        # host-c read the same retrying entry: its claim must not replace host-b's
        assert uow.notices.compare_and_swap(lost, retrying) is False
        # nor may a result written for another owner's claim
        assert (
            uow.notices.compare_and_swap(attrs.evolve(lost, status=LedgerStatus.SENT), lost)
            is False
        )
        uow.commit()
    sent = attrs.evolve(won, status=LedgerStatus.SENT, lease_until=None)
    with storage.unit_of_work() as uow:
        assert uow.notices.get("n1") == won
        assert uow.notices.compare_and_swap(sent, won) is True
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.notices.get("n1") == sent


def test_a_swap_left_without_commit_is_forgotten(storage: Any) -> None:
    add_programme(storage)
    claim = claimed(entry("n1", LedgerStatus.SENDING), "host-a:1:aa")
    with storage.unit_of_work() as uow:
        assert uow.notices.compare_and_swap(claim, None) is True
    with storage.unit_of_work() as uow:
        assert uow.notices.get("n1") is None
        assert uow.notices.compare_and_swap(claim, None) is True
        uow.commit()


def test_a_swap_for_an_unknown_programme_is_refused(storage: Any) -> None:
    with storage.unit_of_work() as uow, pytest.raises(NotFoundError):
        uow.notices.compare_and_swap(
            claimed(entry("n1", LedgerStatus.SENDING, "nowhere"), "a"), None
        )
