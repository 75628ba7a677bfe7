"""Settled facts: a journey's outcome facts once every window they read has closed.

A storage that keeps each participant's facts as a row (docs/architecture.md,
Stored facts) writes them with the journeys, so they are computed for every
participant saved. Once as_of is past every window, the facts no longer
depend on it: every contact counts, an exit is mature (or neutralised), the
ESF+ ranges and every check-in are assessed. :func:`settled_facts` computes
that case in one pass over the observations, without as_of; it equals
:func:`~insertion_core.outcomes.reference.compute_facts` on any day after the
windows close (``tests/outcomes/test_settled.py`` proves it on generated
journeys, and the storage tests on every stored row).
"""

from __future__ import annotations

import datetime as dt
import functools

import attrs

from ..domain.calendar import add_months, age_on
from ..domain.codes import ExitReason
from ..domain.journey import Journey
from ..domain.model import Exit
from ..domain.programme import FollowUpPolicy, Programme
from ..domain.situations import Sector, Situation
from . import rules
from .facts import CheckinFact, CheckinStatus, OutcomeFacts, Population
from .reference import dynamic_exit

__all__ = ["settled_facts"]

_UPON_LEAVING = dt.timedelta(days=rules.ESF_UPON_LEAVING_DAYS)
#: Check-in facts are few distinct values: shared between participants.
_CHECKINS: dict[tuple[int, CheckinStatus, bool], CheckinFact] = {}
#: A check-in's checkpoint and its ranges: on time from ``low`` to ``high``, late to ``last``.
_Checkpoint = tuple[int, dt.date, dt.date, dt.date]


@attrs.frozen
class _ExitDays:
    """The days an exit opens and closes: the follow-up window's end, the ESF+ ranges, the
    check-ins' ranges."""

    window_end: dt.date
    upon_leaving_end: dt.date
    six_months: dt.date
    checkpoints: tuple[_Checkpoint, ...]


@functools.lru_cache(maxsize=8192)
def _exit_days(followup: FollowUpPolicy, start: dt.date) -> _ExitDays:
    """The days of an exit on ``start``: remembered, as many participants leave on the same day."""
    grace = dt.timedelta(days=followup.grace_days)
    late = grace + dt.timedelta(days=followup.overdue_days)
    checkpoints = []
    for months in followup.checkpoints:
        due = add_months(start, months)
        checkpoints.append((months, due - grace, due + grace, due + late))
    return _ExitDays(
        add_months(start, followup.months),
        start + _UPON_LEAVING,
        add_months(start, rules.ESF_LONG_TERM_MONTHS),
        tuple(checkpoints),
    )


def settled_facts(programme: Programme, journey: Journey) -> OutcomeFacts:
    """The participant's facts on any day after every window they read has closed."""
    person = journey.participant
    birth = person.birth_date
    exit_ = journey.exit
    age = None if birth is None else age_on(birth, person.entry_date)
    if exit_ is not None and exit_.reason is not ExitReason.NEUTRALISED:
        return _exited(programme, journey, exit_, age)
    return OutcomeFacts(
        participant_id=person.participant_id,
        cohort_id=person.cohort_id,
        entry_date=person.entry_date,
        exit_date=None if exit_ is None else exit_.exit_date,
        population=Population.IN_PROGRAMME if exit_ is None else Population.NEUTRALISED,
        gender=person.gender,
        age_at_entry=age,
        education_level=person.education_level,
        qpv=person.qpv,
        status_at_entry=person.status_at_entry,
    )


def _exited(programme: Programme, journey: Journey, exit_: Exit, age: int | None) -> OutcomeFacts:
    """The facts of an exited, non-neutralised participant: mature, every range assessed."""
    person = journey.participant
    start = exit_.exit_date
    positive = programme.outcomes.positive
    days = _exit_days(programme.followup, start)
    end = days.window_end
    upon_leaving_end = days.upon_leaving_end
    six = days.six_months
    tolerance = rules.ESF_SIX_MONTHS_TOLERANCE
    first: Situation | None = None
    first_key: tuple[dt.date, int, int] | None = None
    responded = False
    upon_leaving: set[str] = set()
    nearest: int | None = None
    nearest_families: set[str] = set()
    seen = [(start, exit_.destination, False)]
    seen += [(c.contact_date, c.situation, True) for c in journey.contacts]
    for day, situation, is_contact in seen:
        family = situation.family.lower()
        if start <= day <= end:
            if family in positive:
                key = (day, positive.index(family), 0 if situation.sector is Sector.DIGITAL else 1)
                if first_key is None or key < first_key:
                    first_key = key
                    first = Situation(family, situation.sector)
            if is_contact and day > start and family != rules.UNREACHABLE:
                responded = True
        if start <= day <= upon_leaving_end:
            upon_leaving.add(family)
        gap = abs((day - six).days)
        if gap <= tolerance:
            if nearest is None or gap < nearest:
                nearest, nearest_families = gap, {family}
            elif gap == nearest:
                nearest_families.add(family)
    dropout = exit_.reason is ExitReason.DROPOUT
    if dropout:
        outcome = rules.DROPOUT
    elif first is None:
        outcome = rules.NO_OUTCOME
    else:
        outcome = first.family
    return OutcomeFacts(
        participant_id=person.participant_id,
        cohort_id=person.cohort_id,
        entry_date=person.entry_date,
        exit_date=start,
        population=Population.MATURE,
        outcome=outcome,
        first_positive=first,
        responded=responded,
        in_l4=True,
        **{flag: family in upon_leaving for flag, family in rules.ESF_UPON_LEAVING.items()},
        in_l6=True,
        employment_six_months=rules.ESF_SIX_MONTHS_FAMILY in nearest_families,
        dynamic_exit=dynamic_exit(exit_),
        checkins=_checkins(days.checkpoints, journey),
        days_to_positive=None if dropout or first_key is None else (first_key[0] - start).days,
        gender=person.gender,
        age_at_entry=age,
        education_level=person.education_level,
        qpv=person.qpv,
        status_at_entry=person.status_at_entry,
    )


def _checkins(checkpoints: tuple[_Checkpoint, ...], journey: Journey) -> tuple[CheckinFact, ...]:
    """Each checkpoint's check-in, assessed: on time, late or missing, and whether reached."""
    contacts = [(c.contact_date, c.situation.family.lower()) for c in journey.contacts]
    found = []
    for months, low, high, last in checkpoints:
        status = CheckinStatus.MISSING
        reached = False
        for day, family in contacts:
            if low <= day <= high:
                status = CheckinStatus.ON_TIME
                reached = reached or family != rules.UNREACHABLE
            elif high < day <= last and status is CheckinStatus.MISSING:
                status = CheckinStatus.LATE
        key = (months, status, reached)
        checkin = _CHECKINS.get(key)
        if checkin is None:
            checkin = _CHECKINS[key] = CheckinFact(months, status, reached, True)
        found.append(checkin)
    return tuple(found)
