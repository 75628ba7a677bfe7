"""What erasure needs from every backend: a participant removed whole, and the notices about them.

Notice keys name the participant (``programme/kind/participant/day[/months]``)
and notice ids are hashes of them, so the ledger answers which entries are
about one participant, and forgets them, without mistaking a participant
whose id merely starts alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from insertion_core.domain.journey import Journey
from insertion_core.domain.model import PersonalData
from insertion_core.notify.ledger import LedgerEntry, LedgerStatus
from insertion_core.notify.notice import Notice, NoticeKind

from .test_contract import FULL, add_programme, minimal


def ledger_entry(
    participant: str, kind: NoticeKind = NoticeKind.CHECKIN_DUE, programme: str = "gonesse"
) -> LedgerEntry:
    months = 3 if kind is not NoticeKind.AT_RISK else None
    notice = Notice(programme, kind, participant, dt.date(2025, 3, 28), checkpoint_months=months)
    return LedgerEntry(notice.id_for("smtp"), programme, "smtp", notice.key, LedgerStatus.SENT, 1)


def with_full_journey(storage: Any, *more: Journey) -> Any:
    """The storage with programme gonesse, FULL (participant P-001) and ``more`` stored."""
    add_programme(storage)
    with storage.unit_of_work() as uow:
        for journey in (FULL, *more):
            uow.journeys.save("gonesse", journey)
        uow.commit()
    return storage


def test_remove_takes_the_participant_and_their_whole_journey(storage: Any) -> None:
    with_full_journey(storage, minimal("P-002"))
    with storage.unit_of_work() as uow:
        assert uow.journeys.remove("gonesse", "P-001") is True
        assert uow.journeys.get("gonesse", "P-001") is None  # seen inside the unit of work
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.journeys.get("gonesse", "P-001") is None
        assert [j.participant_id for j in uow.journeys.iter("gonesse")] == ["P-002"]
        assert uow.journeys.count("gonesse") == 1
        assert uow.journeys.remove("gonesse", "P-001") is False


def test_remove_rolled_back_keeps_the_journey(storage: Any) -> None:
    with_full_journey(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.remove("gonesse", "P-001")
    with storage.unit_of_work() as uow:
        assert uow.journeys.get("gonesse", "P-001") == FULL


def test_a_removed_participant_can_be_enrolled_again(storage: Any) -> None:
    with_full_journey(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.remove("gonesse", "P-001")
        uow.commit()
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", minimal("P-001"))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.journeys.get("gonesse", "P-001") == minimal("P-001")


def test_removing_the_journey_leaves_personal_data_to_its_repository(storage: Any) -> None:
    with_full_journey(storage)
    personal = PersonalData("P-001", "Ana", "Durand", "ana@example.org", "0600000000")
    with storage.unit_of_work() as uow:
        uow.personal.save("gonesse", personal)
        uow.commit()
    with storage.unit_of_work() as uow:
        uow.journeys.remove("gonesse", "P-001")
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.personal.get("gonesse", "P-001") == personal
        uow.personal.save("gonesse", PersonalData("P-001"))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.personal.get("gonesse", "P-001") is None


def test_the_ledger_finds_and_forgets_the_notices_about_one_participant(storage: Any) -> None:
    add_programme(storage, "gonesse")
    add_programme(storage, "cergy")
    about = [ledger_entry("P1", kind) for kind in NoticeKind]
    others = [
        ledger_entry("P10"),  # starts alike
        ledger_entry("P1/2025-03-28"),  # an id that holds what follows P1 in a key
        ledger_entry("P%"),  # LIKE wildcards are plain text
        ledger_entry("P_"),
        ledger_entry("P1", programme="cergy"),  # another programme's P1
    ]
    with storage.unit_of_work() as uow:
        for entry in [*about, *others]:
            uow.notices.save(entry)
        uow.commit()
    with storage.unit_of_work() as uow:
        expected = sorted(about, key=lambda e: (e.key, e.channel))
        assert uow.notices.about("gonesse", "P1") == expected
        assert uow.notices.about("gonesse", "P") == []
        assert uow.notices.about("gonesse", "P%") == [others[2]]
        assert uow.notices.forget("gonesse", "P1") == 3
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.notices.about("gonesse", "P1") == []
        assert all(uow.notices.get(e.notice_id) is None for e in about)
        assert all(uow.notices.get(e.notice_id) == e for e in others)
        assert uow.notices.forget("gonesse", "P1") == 0
