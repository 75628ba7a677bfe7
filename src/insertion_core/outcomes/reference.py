"""The reference implementation of outcome facts, in plain Python over a journey.

Slow but obvious: a storage's pushed-down implementation must give the same
:class:`~insertion_core.outcomes.facts.OutcomeFacts` on the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from ..domain.calendar import add_months, age_on
from ..domain.codes import ExitReason
from ..domain.journey import Journey
from ..domain.model import Exit
from ..domain.programme import Programme
from . import rules
from .checkins import checkin_facts
from .facts import DynamicExit, OutcomeFacts, Population
from .observations import (
    Observation,
    first_positive,
    first_positive_day,
    nearest_include,
    observations,
)

__all__ = ["compute_facts", "iter_facts"]


def population_of(programme: Programme, exit_: Exit | None, as_of: dt.date) -> Population:
    """The population class of a participant whose exit (if any) is dated at most as_of."""
    if exit_ is None:
        return Population.IN_PROGRAMME
    if exit_.reason is ExitReason.NEUTRALISED:
        return Population.NEUTRALISED
    if add_months(exit_.exit_date, programme.followup.months) > as_of:
        return Population.PENDING
    return Population.MATURE


def dynamic_exit(exit_: Exit) -> DynamicExit:
    """The IAE class of an exit, on its destination and contract alone."""
    family = exit_.destination.family.lower()
    if family == rules.EMPLOYMENT:
        if exit_.contract in rules.DURABLE_CONTRACTS:
            return DynamicExit.DURABLE_EMPLOYMENT
        if (
            exit_.contract in rules.TIMED_CONTRACTS
            and exit_.contract_months is not None
            and exit_.contract_months >= rules.DURABLE_TIMED_CONTRACT_MONTHS
        ):
            return DynamicExit.DURABLE_EMPLOYMENT
        return DynamicExit.TRANSITION_EMPLOYMENT
    if family == rules.TRAINING and exit_.qualifying is not False:
        return DynamicExit.POSITIVE_EXIT
    return DynamicExit.OTHER


def _upon_leaving(seen: list[Observation], exit_date: dt.date, family: str) -> bool:
    end = exit_date + dt.timedelta(days=rules.ESF_UPON_LEAVING_DAYS)
    return any(o.situation.family == family and exit_date <= o.date <= end for o in seen)


def compute_facts(programme: Programme, journey: Journey, as_of: dt.date) -> OutcomeFacts | None:
    """The outcome facts of one journey on ``as_of``; None when the entry is after as_of."""
    person = journey.participant
    if person.entry_date > as_of:
        return None
    exit_ = journey.exit if journey.exit and journey.exit.exit_date <= as_of else None
    population = population_of(programme, exit_, as_of)
    facts = OutcomeFacts(
        participant_id=person.participant_id,
        cohort_id=person.cohort_id,
        entry_date=person.entry_date,
        exit_date=exit_.exit_date if exit_ else None,
        population=population,
        gender=person.gender,
        age_at_entry=age_on(person.birth_date, person.entry_date) if person.birth_date else None,
        education_level=person.education_level,
        qpv=person.qpv,
        status_at_entry=person.status_at_entry,
    )
    if exit_ is None or population is Population.NEUTRALISED:
        return facts
    return _exited_facts(programme, journey, exit_, as_of, facts)


def _exited_facts(
    programme: Programme, journey: Journey, exit_: Exit, as_of: dt.date, facts: OutcomeFacts
) -> OutcomeFacts:
    seen = observations(journey, as_of)
    start = exit_.exit_date
    l4 = start + dt.timedelta(days=rules.ESF_UPON_LEAVING_DAYS) <= as_of
    six = add_months(start, rules.ESF_LONG_TERM_MONTHS)
    l6 = six + dt.timedelta(days=rules.ESF_SIX_MONTHS_TOLERANCE) <= as_of
    upon_leaving: dict[str, Any] = {
        flag: l4 and _upon_leaving(seen, start, family)
        for flag, family in rules.ESF_UPON_LEAVING.items()
    }
    facts = attrs.evolve(
        facts,
        in_l4=l4,
        **upon_leaving,
        in_l6=l6,
        employment_six_months=l6
        and nearest_include(seen, six, rules.ESF_SIX_MONTHS_TOLERANCE, rules.ESF_SIX_MONTHS_FAMILY),
        dynamic_exit=dynamic_exit(exit_),
        checkins=checkin_facts(programme, journey, as_of),
    )
    end = add_months(start, programme.followup.months)
    dropout = exit_.reason is ExitReason.DROPOUT
    day = None if dropout else first_positive_day(seen, start, end, programme.outcomes.positive)
    if day is not None:
        facts = attrs.evolve(facts, days_to_positive=(day - start).days)
    if facts.population is not Population.MATURE:
        return facts
    first = first_positive(seen, start, end, programme.outcomes.positive)
    outcome = rules.DROPOUT if dropout else (first.family if first else rules.NO_OUTCOME)
    responded = any(
        o.is_contact and start < o.date <= end and o.situation.family != rules.UNREACHABLE
        for o in seen
    )
    return attrs.evolve(facts, outcome=outcome, first_positive=first, responded=responded)


def iter_facts(
    programme: Programme, journeys: Iterable[Journey], as_of: dt.date
) -> Iterator[OutcomeFacts]:
    """The facts of every journey that exists on as_of, streamed in the journeys' order."""
    for journey in journeys:
        facts = compute_facts(programme, journey, as_of)
        if facts is not None:
            yield facts
