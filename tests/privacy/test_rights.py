"""The rights of the people concerned (docs/personal-data.md): the document of everything held
about a person, and their erasure from every repository."""

from __future__ import annotations

import datetime as dt

import pytest

from insertion_core import Workspace
from insertion_core.errors import NotFoundError
from insertion_core.notify.ledger import LedgerEntry, LedgerStatus
from insertion_core.notify.notice import Notice, NoticeKind
from insertion_core.privacy import erase_participant, personal_data_of

from .conftest import EMAIL, FIRST, LAST, NOTE, PHONE, REASON, journey, personal, store

NOTICE = Notice(
    "site", NoticeKind.CHECKIN_DUE, "ZQX-4711", dt.date(2024, 7, 28), checkpoint_months=1
)
SENT_AT = dt.datetime(2024, 7, 28, 8, 0, tzinfo=dt.UTC)


def add_notice(workspace: Workspace) -> None:
    with workspace.storage.unit_of_work() as uow:
        uow.notices.save(
            LedgerEntry(
                NOTICE.id_for("smtp"),
                "site",
                "smtp",
                NOTICE.key,
                LedgerStatus.SENT,
                1,
                updated_at=SENT_AT,
            )
        )
        uow.commit()


def test_the_document_holds_everything_held_about_the_person(site: Workspace) -> None:
    store(site, journey(), journey("OTHER"))
    add_notice(site)
    document = personal_data_of(site, "site", "ZQX-4711", as_of=dt.date(2025, 1, 15))
    assert document["programme"] == "site"
    assert document["participant_id"] == "ZQX-4711"
    assert document["as_of"] == "2025-01-15"
    assert document["personal_data"] == {
        "first_name": FIRST,
        "last_name": LAST,
        "email": EMAIL,
        "phone": PHONE,
    }
    held = document["journey"]
    assert held["participant"] == {
        "cohort_id": "2024-A",
        "entry_date": "2024-01-08",
        "birth_date": "2003-05-17",
        "gender": None,
        "education_level": None,
        "qpv": None,
        "qpv_code": None,
        "status_at_entry": None,
        "scheme": None,
        "referrer": None,
        "counsellor": "cns-7",
    }
    assert held["phases"] == [{"phase_id": "accueil", "started_on": "2024-01-08"}]
    assert held["exit"] == {
        "exit_date": "2024-06-28",
        "reason": "early_positive",
        "destination": "employment.digital",
        "contract": "cdd",
        "contract_months": "6.5",
        "qualifying": True,
    }
    assert [c["note"] for c in held["contacts"]] == [NOTE, None]
    assert held["contacts"][0] == {
        "contact_date": "2024-07-29",
        "situation": "employment.other",
        "contract": None,
        "contract_months": None,
        "qualifying": None,
        "channel": "phone",
        "note": NOTE,
    }
    assert held["attendance"][0] == {
        "date": "2024-01-09",
        "status": "excused",
        "half_day": "am",
        "reason": REASON,
    }
    assert [c["checkpoint_months"] for c in document["checkins"]] == [1, 3, 6]
    assert document["notices"] == [
        {
            "channel": "smtp",
            "key": NOTICE.key,
            "status": "sent",
            "attempts": 1,
            "last_error": None,
            "next_attempt_at": None,
            "updated_at": "2024-07-28T08:00:00+00:00",
            "owner": None,
            "lease_until": None,
        }
    ]
    assert document["retention"] == {"months": 24, "personal_data_erased_from": "2026-12-30"}
    assert "OTHER" not in str(document)


def test_a_person_known_only_by_their_personal_data_gets_it(site: Workspace) -> None:
    with site.storage.unit_of_work() as uow:
        uow.personal.save("site", personal("ONLY-NAMES"))
        uow.commit()
    document = personal_data_of(site, "site", "ONLY-NAMES", as_of=dt.date(2025, 1, 15))
    assert document["personal_data"]["last_name"] == LAST
    assert document["journey"] is None
    assert document["checkins"] == []
    assert document["retention"]["personal_data_erased_from"] is None


def test_nothing_held_is_an_error_naming_the_person(site: Workspace) -> None:
    with pytest.raises(NotFoundError) as caught:
        personal_data_of(site, "site", "NOBODY")
    assert str(caught.value) == "nothing is held about participant 'NOBODY' in programme 'site'"
    with pytest.raises(NotFoundError, match="no programme 'elsewhere'"):
        personal_data_of(site, "elsewhere", "ZQX-4711")


def test_erasure_removes_the_person_from_every_repository_and_from_the_counts(
    site: Workspace,
) -> None:
    store(site, journey(), journey("OTHER"))
    add_notice(site)
    before = site.report("site", as_of=dt.date(2025, 6, 30))
    erasure = erase_participant(site, "site", "ZQX-4711")
    assert (erasure.journey, erasure.personal_data, erasure.notices) == (True, True, 1)
    assert erasure.shredded is True
    with site.storage.unit_of_work(read_only=True) as uow:
        assert uow.journeys.get("site", "ZQX-4711") is None
        assert uow.personal.get("site", "ZQX-4711") is None
        assert uow.notices.get(NOTICE.id_for("smtp")) is None
        assert uow.personal.get("site", "OTHER") == personal("OTHER")
    with pytest.raises(NotFoundError):
        personal_data_of(site, "site", "ZQX-4711")
    after = site.report("site", as_of=dt.date(2025, 6, 30))
    assert after.population["selected"] == before.population["selected"] - 1  # leaves the counts


def test_erasing_someone_not_held_is_refused_and_changes_nothing(site: Workspace) -> None:
    store(site, journey())
    with pytest.raises(NotFoundError) as caught:
        erase_participant(site, "site", "NOBODY")
    assert str(caught.value) == "nothing is held about participant 'NOBODY' in programme 'site'"
    assert [j.participant_id for j in site.journeys("site")] == ["ZQX-4711"]
    with pytest.raises(NotFoundError, match="no programme 'elsewhere'"):
        erase_participant(site, "elsewhere", "ZQX-4711")
