"""The facts' canonical text (hashed into a report's data_sha256) covers every field, by construction."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from insertion_core.domain import Sector, Situation
from insertion_core.domain.codes import EducationLevel, Gender, StatusAtEntry
from insertion_core.outcomes import (
    CheckinFact,
    CheckinStatus,
    DynamicExit,
    OutcomeFacts,
    Population,
)

CHECKIN = CheckinFact(6, CheckinStatus.ON_TIME, reached=True, assessed=True)

#: A mature participant with every field set.
BASE = OutcomeFacts(
    participant_id="P1",
    cohort_id="C1",
    entry_date=dt.date(2024, 9, 2),
    exit_date=dt.date(2025, 3, 28),
    population=Population.MATURE,
    outcome="employment",
    first_positive=Situation("employment", Sector.DIGITAL),
    responded=True,
    in_l4=True,
    job_searching_upon_leaving=False,
    training_upon_leaving=False,
    employment_upon_leaving=True,
    in_l6=True,
    employment_six_months=True,
    dynamic_exit=DynamicExit.DURABLE_EMPLOYMENT,
    checkins=(CHECKIN,),
    days_to_positive=0,
    gender=Gender.F,
    age_at_entry=22,
    education_level=EducationLevel.L3,
    qpv=True,
    status_at_entry=StatusAtEntry.LONG_TERM_UNEMPLOYED,
)

#: For each field of OutcomeFacts, another value than BASE's.
OTHER = {
    "participant_id": "P2",
    "cohort_id": "C2",
    "entry_date": dt.date(2024, 9, 3),
    "exit_date": None,
    "population": Population.PENDING,
    "outcome": "dropout",
    "first_positive": Situation("employment", Sector.OTHER),
    "responded": False,
    "in_l4": False,
    "job_searching_upon_leaving": True,
    "training_upon_leaving": True,
    "employment_upon_leaving": False,
    "in_l6": False,
    "employment_six_months": False,
    "dynamic_exit": DynamicExit.TRANSITION_EMPLOYMENT,
    "checkins": (attrs.evolve(CHECKIN, assessed=False),),
    "days_to_positive": 12,
    "gender": None,
    "age_at_entry": 23,
    "education_level": EducationLevel.L4,
    "qpv": None,
    "status_at_entry": StatusAtEntry.UNEMPLOYED,
}


def test_every_field_has_another_value_here() -> None:
    fields = [field.name for field in attrs.fields(OutcomeFacts)]
    assert sorted(OTHER) == sorted(fields), "a field of OutcomeFacts needs an entry in OTHER"


@pytest.mark.parametrize("field", sorted(OTHER))
def test_every_field_changes_the_canonical_text(field: str) -> None:
    changed = attrs.evolve(BASE, **{field: OTHER[field]})
    assert changed.canonical() != BASE.canonical(), f"{field} is not in the canonical text"


@pytest.mark.parametrize("field", [field.name for field in attrs.fields(CheckinFact)])
def test_every_checkin_field_changes_the_canonical_text(field: str) -> None:
    other = {
        "checkpoint_months": 12,
        "status": CheckinStatus.LATE,
        "reached": False,
        "assessed": False,
    }
    changed = attrs.evolve(BASE, checkins=(attrs.evolve(CHECKIN, **{field: other[field]}),))
    assert changed.canonical() != BASE.canonical()


def test_the_canonical_text_is_stable() -> None:
    """The same facts give the same data_sha256 from one version to the next."""
    assert BASE.canonical() == (
        '["P1","C1","2024-09-02","2025-03-28","mature","employment","employment.digital",'
        '"1","1","0","0","1","1","1","durable_employment","6:on_time:1:1","0","F","22","3","1",'
        '"long_term_unemployed"]'
    )
    empty = OutcomeFacts("P1", "C1", dt.date(2024, 9, 2), None, Population.IN_PROGRAMME)
    assert empty.canonical() == (
        '["P1","C1","2024-09-02","","in_programme","","","0","0","0","0","0","0","0","","",'
        '"","","","","",""]'
    )


@attrs.frozen
class WithSectors(OutcomeFacts):
    """Facts with a field added, as a later version might add one."""

    sectors: frozenset[str] = frozenset()


@attrs.frozen
class WithRank(OutcomeFacts):
    rank: int = 0


def test_a_field_added_is_in_the_canonical_text_or_refused() -> None:
    ranked = WithRank(**attrs.asdict(BASE, recurse=False), rank=3)
    assert ranked.canonical() == BASE.canonical()[:-1] + ',"3"]'
    with pytest.raises(TypeError, match=r"^no canonical text for a value of type frozenset$"):
        WithSectors(**attrs.asdict(BASE, recurse=False)).canonical()
