"""The storage contract, run unchanged against every backend (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from insertion_core.domain.codes import (
    AttendanceStatus,
    Channel,
    Contract,
    EducationLevel,
    ExitReason,
    Gender,
    HalfDay,
    Referrer,
    Scheme,
    StatusAtEntry,
)
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import (
    AttendanceRecord,
    Cohort,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    PhaseProgress,
)
from insertion_core.domain.programme import loads_programme
from insertion_core.domain.situations import Sector, Situation
from insertion_core.errors import NotFoundError
from insertion_core.storage import BulkPersonalSave

from .conftest import Opener, programme_toml
from .strategies import SAMPLE_MONTHS

D = dt.date


def add_programme(storage: Any, programme_id: str = "gonesse") -> None:
    text = programme_toml(programme_id)
    with storage.unit_of_work() as uow:
        uow.programmes.save(loads_programme(text), text)
        uow.commit()


def minimal(participant_id: str, cohort: str = "c1") -> Journey:
    return Journey(Participant(participant_id, cohort, D(2024, 1, 8)))


FULL = Journey(
    participant=Participant(
        participant_id="P-001",
        cohort_id="2024-A",
        entry_date=D(2024, 1, 8),
        birth_date=D(2003, 5, 17),
        gender=Gender.X,
        education_level=EducationLevel.L3,
        qpv=False,
        qpv_code="QN09512M",
        status_at_entry=StatusAtEntry.LONG_TERM_UNEMPLOYED,
        scheme=Scheme.CEJ,
        referrer=Referrer.MISSION_LOCALE,
        counsellor="cns-7",
    ),
    phases=(PhaseProgress("accueil", D(2024, 1, 8)), PhaseProgress("formation", D(2024, 1, 22))),
    exit=Exit(
        exit_date=D(2024, 6, 28),
        reason=ExitReason.EARLY_POSITIVE,
        destination=Situation("employment", Sector.DIGITAL),
        contract=Contract.CDD,
        contract_months=Decimal("6.5"),
        qualifying=True,
    ),
    contacts=(
        FollowUpContact(
            D(2024, 7, 29),
            Situation("employment", Sector.DIGITAL),
            Contract.CDD,
            Decimal("6.5"),
            None,
            Channel.PHONE,
            note="Très contente, équipe sympa",
        ),
        FollowUpContact(D(2024, 7, 29), Situation("training"), None, None, False, Channel.SMS),
        FollowUpContact(D(2024, 12, 30), Situation("job_search"), note=""),
    ),
    attendance=(
        AttendanceRecord(D(2024, 1, 9), AttendanceStatus.ABSENT, HalfDay.AM, reason="rendez-vous"),
        AttendanceRecord(D(2024, 1, 9), AttendanceStatus.PRESENT, HalfDay.PM),
        AttendanceRecord(D(2024, 1, 10), AttendanceStatus.LATE),
    ),
)


# Programmes


def test_programme_save_get_ids(storage: Any) -> None:
    with storage.unit_of_work() as uow:
        assert uow.programmes.get("gonesse") is None
        assert uow.programmes.ids() == []
        for pid in ("zeta", "gonesse", "alpha-2"):
            uow.programmes.save(loads_programme(programme_toml(pid)), programme_toml(pid))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.programmes.ids() == ["alpha-2", "gonesse", "zeta"]
        assert uow.programmes.get("gonesse") == loads_programme(programme_toml("gonesse"))


def test_programme_update_replaces_source(storage: Any) -> None:
    add_programme(storage)
    changed = programme_toml("gonesse").replace("months = 6", "months = 12")
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", minimal("a"))
        uow.programmes.save(loads_programme(changed), changed)
        uow.commit()
    with storage.unit_of_work() as uow:
        programme = uow.programmes.get("gonesse")
        assert programme is not None and programme.followup.months == 12
        assert uow.programmes.ids() == ["gonesse"]
        assert uow.journeys.count("gonesse") == 1  # updating a programme keeps its journeys


def test_programme_source_must_describe_programme(storage: Any) -> None:
    with storage.unit_of_work() as uow, pytest.raises(ValueError, match="another programme"):
        uow.programmes.save(loads_programme(programme_toml("a")), programme_toml("b"))


# Journeys


def test_journey_round_trip_every_field(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", FULL)
        uow.journeys.save("gonesse", minimal("P-002"))
        uow.commit()
    with storage.unit_of_work() as uow:
        got = uow.journeys.get("gonesse", "P-001")
        assert got == FULL
        assert got is not None and got.contacts[0].note == "Très contente, équipe sympa"
        assert got.contacts[1].note is None and got.contacts[2].note == ""
        assert got.attendance[0].reason == "rendez-vous" and got.attendance[1].reason is None
        assert isinstance(got.exit.contract_months, Decimal)  # type: ignore[union-attr]
        assert uow.journeys.get("gonesse", "P-002") == minimal("P-002")
        assert uow.journeys.get("gonesse", "nobody") is None
        assert uow.journeys.get("elsewhere", "P-001") is None


@pytest.mark.parametrize("value", SAMPLE_MONTHS)
def test_contract_months_keep_their_value(storage: Any, value: Decimal) -> None:
    add_programme(storage)
    exit_ = attrs.evolve(FULL.exit, contract_months=value)  # type: ignore[misc]
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", attrs.evolve(FULL, exit=exit_))
        uow.commit()
    with storage.unit_of_work() as uow:
        got = uow.journeys.get("gonesse", "P-001")
        assert got is not None and got.exit is not None
        assert got.exit.contract_months == value


def test_save_replaces_the_whole_journey(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", FULL)
        uow.commit()
    shorter = attrs.evolve(
        FULL,
        participant=attrs.evolve(FULL.participant, cohort_id="2024-B", gender=None),
        phases=FULL.phases[:1],
        exit=None,
        contacts=(),
        attendance=FULL.attendance[2:],
    )
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", shorter)
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.journeys.get("gonesse", "P-001") == shorter
        assert uow.journeys.count("gonesse") == 1
        uow.journeys.save("gonesse", FULL)
        assert uow.journeys.get("gonesse", "P-001") == FULL  # reads its own writes
        uow.commit()


def test_saving_for_an_unknown_programme_is_refused(storage: Any) -> None:
    with storage.unit_of_work() as uow:
        with pytest.raises(NotFoundError, match="nowhere"):
            uow.journeys.save("nowhere", minimal("a"))
        with pytest.raises(NotFoundError):
            uow.cohorts.save("nowhere", Cohort("c1"))
        with pytest.raises(NotFoundError):
            uow.personal.save("nowhere", PersonalData("a", first_name="Ana"))


ORDER_IDS = ["b", "a10", "a9", "A", "é", "z", "Z1", "a", "0", "~", "ÿx", "日本"]


@pytest.mark.parametrize("batch_size", [1, 3, 4, 1000])
def test_iter_streams_in_participant_id_order(open_storage: Opener, batch_size: int) -> None:
    storage = open_storage(batch_size=batch_size)
    add_programme(storage)
    add_programme(storage, "other")
    with storage.unit_of_work() as uow:
        for pid in ORDER_IDS:
            uow.journeys.save(
                "gonesse",
                attrs.evolve(FULL, participant=attrs.evolve(FULL.participant, participant_id=pid)),
            )
        uow.journeys.save("other", minimal("a5"))
        uow.commit()
    with storage.unit_of_work() as uow:
        got = list(uow.journeys.iter("gonesse"))
        assert [j.participant_id for j in got] == sorted(ORDER_IDS)
        assert all(j.contacts == FULL.contacts and j.exit == FULL.exit for j in got)
        assert uow.journeys.count("gonesse") == len(ORDER_IDS)
        assert list(uow.journeys.iter("nowhere")) == []
        assert uow.journeys.count("nowhere") == 0


def test_iter_is_lazy(open_storage: Opener) -> None:
    storage = open_storage(batch_size=2)
    add_programme(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.save_many("gonesse", [minimal(f"p{i}") for i in range(5)])
        uow.commit()
    with storage.unit_of_work() as uow:
        journeys = uow.journeys.iter("gonesse")
        assert next(journeys).participant_id == "p0"
        # Saved after the first batch was read: later batches see it.
        uow.journeys.save("gonesse", minimal("p9"))
        assert [j.participant_id for j in journeys] == ["p1", "p2", "p3", "p4", "p9"]


def test_save_many_later_journey_wins(open_storage: Opener) -> None:
    storage = open_storage(batch_size=2)
    add_programme(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", FULL)
        stored = uow.journeys.save_many(
            "gonesse", [minimal("x"), minimal("P-001", "early"), minimal("y"), minimal("x", "late")]
        )
        assert stored >= 3
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.journeys.get("gonesse", "P-001") == minimal("P-001", "early")
        assert uow.journeys.get("gonesse", "x") == minimal("x", "late")
        assert uow.journeys.count("gonesse") == 3


def test_programmes_are_isolated(storage: Any) -> None:
    add_programme(storage, "one")
    add_programme(storage, "two")
    other = attrs.evolve(FULL, exit=None, contacts=(), attendance=())
    with storage.unit_of_work() as uow:
        uow.journeys.save("one", FULL)
        uow.journeys.save("two", other)
        uow.journeys.save("two", minimal("only-two"))
        uow.cohorts.save("one", Cohort("2024-A", capacity=12))
        uow.personal.save("one", PersonalData("P-001", first_name="Ana"))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.journeys.get("one", "P-001") == FULL
        assert uow.journeys.get("two", "P-001") == other
        assert uow.journeys.count("one") == 1 and uow.journeys.count("two") == 2
        assert [j.participant_id for j in uow.journeys.iter("one")] == ["P-001"]
        assert uow.cohorts.list("two") == [] and uow.cohorts.get("two", "2024-A") is None
        assert uow.personal.get("two", "P-001") is None


# Cohorts and personal data


def test_cohorts(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        uow.cohorts.save("gonesse", Cohort("2024-B"))
        uow.cohorts.save("gonesse", Cohort("2024-A", D(2024, 1, 8), D(2024, 6, 28), 14))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.cohorts.list("gonesse") == [
            Cohort("2024-A", D(2024, 1, 8), D(2024, 6, 28), 14),
            Cohort("2024-B"),
        ]
        uow.cohorts.save("gonesse", Cohort("2024-A", capacity=15))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.cohorts.get("gonesse", "2024-A") == Cohort("2024-A", capacity=15)
        assert uow.cohorts.get("gonesse", "2025-A") is None


def test_personal_data_is_kept_apart_from_the_journey(storage: Any) -> None:
    add_programme(storage)
    ana = PersonalData("P-001", "Ana", "Martin", "ana@example.org", "+33 6 12 34 56 78")
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", FULL)
        uow.personal.save("gonesse", ana)
        uow.personal.save("gonesse", PersonalData("not-enrolled", last_name="Dupont"))
        uow.commit()
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", minimal("P-001"))  # replacing the journey keeps names
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.personal.get("gonesse", "P-001") == ana
        assert uow.personal.get("gonesse", "not-enrolled") == PersonalData(
            "not-enrolled", last_name="Dupont"
        )
        uow.personal.save("gonesse", PersonalData("P-001", first_name="Anna"))
        uow.personal.save("gonesse", PersonalData("not-enrolled"))  # empty: removed
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.personal.get("gonesse", "P-001") == PersonalData("P-001", first_name="Anna")
        assert uow.personal.get("gonesse", "not-enrolled") is None
        assert uow.journeys.get("gonesse", "P-001") == minimal("P-001")


def test_personal_data_saved_in_bulk_is_what_save_would_store(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        uow.personal.save("gonesse", PersonalData("P-001", "Ana", "Martin"))
        uow.personal.save("gonesse", PersonalData("P-002", last_name="Dupont"))
        uow.commit()
    batch = [
        PersonalData("P-001", first_name="Anna"),  # replaced whole
        PersonalData("P-002"),  # empty: removed
        PersonalData("P-003", email="p3@example.org"),
        PersonalData("P-003", phone="+33 1 00 00 00 00"),  # the later one wins
    ]
    with storage.unit_of_work() as uow:
        assert isinstance(uow.personal, BulkPersonalSave)
        assert uow.personal.get("gonesse", "P-001") == PersonalData("P-001", "Ana", "Martin")
        assert uow.personal.save_many("gonesse", batch) == 4
        assert uow.personal.get("gonesse", "P-001") == PersonalData("P-001", first_name="Anna")
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.personal.get("gonesse", "P-001") == PersonalData("P-001", first_name="Anna")
        assert uow.personal.get("gonesse", "P-002") is None
        assert uow.personal.get("gonesse", "P-003") == PersonalData(
            "P-003", phone="+33 1 00 00 00 00"
        )


def test_a_programme_using_a_plugin_family_round_trips(storage: Any) -> None:
    text = programme_toml("site").replace(
        'positive = ["employment", "training"]', 'positive = ["own_business", "employment"]'
    )
    programme = loads_programme(text, extra_families=("own_business",))  # as the workspace reads it
    with storage.unit_of_work() as uow:
        uow.programmes.save(programme, text)
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.programmes.get("site") == programme
