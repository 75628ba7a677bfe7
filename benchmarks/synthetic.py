"""Synthetic participants for the benchmarks: deterministic, shaped like a site's files.

Most participants have left (a few are neutralised), with a destination, a
handful of follow-up contacts and some attendance rows, so both report paths
have real work to do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from insertion_core.domain import (
    AttendanceRecord,
    AttendanceStatus,
    Contract,
    Exit,
    ExitReason,
    FollowUpContact,
    Gender,
    Journey,
    Participant,
    Sector,
    Situation,
)

PROGRAMME_ID = "bench"
PROGRAMME_TOML = """
[programme]
id = "bench"
name = "Benchmark"

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]
"""

AS_OF = dt.date(2026, 6, 30)
_FIRST_ENTRY = dt.date(2021, 1, 4)
_ENTRY_SPAN = (dt.date(2026, 3, 31) - _FIRST_ENTRY).days
_REASONS = [ExitReason.COMPLETED] * 6 + [ExitReason.EARLY_POSITIVE] * 2 + [ExitReason.DROPOUT]
_REASONS += [ExitReason.NEUTRALISED, ExitReason.OTHER]
_FAMILIES = ["employment"] * 3 + ["training"] * 3 + ["job_search"] * 2
_FAMILIES += ["inactive", "unreachable", "civic_service", "other"]


def _situation(rng: random.Random) -> Situation:
    sector = Sector.DIGITAL if rng.random() < 0.4 else Sector.OTHER
    return Situation(rng.choice(_FAMILIES), sector)


def journey(number: int) -> Journey:
    """Participant ``number``'s journey, the same on every run."""
    rng = random.Random(number)
    entry = _FIRST_ENTRY + dt.timedelta(days=rng.randrange(_ENTRY_SPAN))
    participant = Participant(
        participant_id=f"P{number:07d}",
        cohort_id=f"C{entry:%Y%m}",
        entry_date=entry,
        birth_date=entry - dt.timedelta(days=rng.randrange(16 * 365, 26 * 365)),
        gender=rng.choice([Gender.F, Gender.M, Gender.X, None]),
        qpv=rng.random() < 0.3,
    )
    exit_ = None
    contacts: tuple[FollowUpContact, ...] = ()
    if rng.random() < 0.85:
        destination = _situation(rng)
        exit_ = Exit(
            exit_date=entry + dt.timedelta(days=rng.randrange(60, 300)),
            reason=rng.choice(_REASONS),
            destination=destination,
            contract=rng.choice(list(Contract)) if destination.family == "employment" else None,
            contract_months=Decimal(rng.randrange(1, 24)) if rng.random() < 0.5 else None,
        )
        days = sorted(rng.sample(range(0, 400), rng.randrange(0, 6)))
        contacts = tuple(
            FollowUpContact(exit_.exit_date + dt.timedelta(days=d), _situation(rng)) for d in days
        )
    end = exit_.exit_date if exit_ else entry + dt.timedelta(days=200)
    attendance = tuple(
        AttendanceRecord(
            entry + dt.timedelta(days=d),
            rng.choice([AttendanceStatus.PRESENT] * 4 + [AttendanceStatus.ABSENT]),
        )
        for d in sorted(rng.sample(range((end - entry).days + 1), 4))
    )
    return Journey(participant, exit=exit_, contacts=contacts, attendance=attendance)


def journeys(count: int) -> Iterator[Journey]:
    """The first ``count`` synthetic journeys, generated lazily."""
    return (journey(number) for number in range(count))
