"""Short builders of programmes and journeys for hand-computed examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from insertion_core.domain.codes import Contract, ExitReason, Gender
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import AttendanceRecord, Exit, FollowUpContact, Participant
from insertion_core.domain.programme import (
    FollowUpPolicy,
    OutcomePolicy,
    Programme,
    ReportingPolicy,
)
from insertion_core.domain.situations import SituationFamilies
from insertion_core.outcomes import OutcomeFacts, compute_facts

FAMILIES = SituationFamilies().with_families(["own_business"])
#: The time stamped in a report's provenance: the engine is given it, it reads no clock.
GENERATED_AT = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)


def day(text: str) -> dt.date:
    """An ISO date."""
    return dt.date.fromisoformat(text)


def programme(
    *,
    months: int = 6,
    checkpoints: tuple[int, ...] = (1, 3, 6),
    positive: tuple[str, ...] = ("employment", "training"),
    families: tuple[str, ...] = (),
    grace_days: int = 10,
    overdue_days: int = 30,
    min_cell: int = 0,
    basis: Any = "exit",
) -> Programme:
    """A programme with the given follow-up and outcome rules."""
    return Programme(
        id="test",
        name="Test",
        followup=FollowUpPolicy(months, checkpoints, grace_days, overdue_days),
        outcomes=OutcomePolicy(positive=positive, families=families),
        reporting=ReportingPolicy(basis=basis, min_cell=min_cell),
    )


def journey(
    pid: str = "P1",
    entry: str = "2024-01-02",
    exit: str | None = None,
    reason: str = "completed",
    destination: str = "job_search",
    contacts: tuple[tuple[str, str], ...] = (),
    contract: str | None = None,
    contract_months: str | None = None,
    qualifying: bool | None = None,
    gender: str | None = None,
    birth: str | None = None,
    cohort: str = "C1",
    counsellor: str | None = None,
    attendance: tuple[AttendanceRecord, ...] = (),
) -> Journey:
    """A journey; ``contacts`` are ``(date, situation code)`` pairs."""
    participant = Participant(
        participant_id=pid,
        cohort_id=cohort,
        entry_date=day(entry),
        birth_date=day(birth) if birth else None,
        gender=Gender(gender) if gender else None,
        counsellor=counsellor,
    )
    exit_ = None
    if exit is not None:
        exit_ = Exit(
            exit_date=day(exit),
            reason=ExitReason(reason),
            destination=FAMILIES.parse(destination),
            contract=Contract(contract) if contract else None,
            contract_months=Decimal(contract_months) if contract_months else None,
            qualifying=qualifying,
        )
    found = tuple(FollowUpContact(day(d), FAMILIES.parse(code)) for d, code in contacts)
    return Journey(participant, exit=exit_, contacts=found, attendance=attendance)


def facts(prog: Programme, j: Journey, as_of: str) -> OutcomeFacts:
    """The facts of ``j`` on ``as_of``, which must exist."""
    found = compute_facts(prog, j, day(as_of))
    assert found is not None
    return found
