"""The reference implementation of outcome facts, in plain Python over a journey.

Slow but obvious: a storage's pushed-down implementation must give the same
:class:`~insertion_core.outcomes.facts.OutcomeFacts` on the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from ..domain.calendar import add_months, age_on
from ..domain.codes import Contract, ExitReason
from ..domain.journey import Journey
from ..domain.model import Exit
from ..domain.programme import Programme
from .checkins import checkin_facts
from .facts import DynamicExit, OutcomeFacts, Population
from .observations import Observation, first_positive, nearest_include, observations

__all__ = ["ESF_SIX_MONTHS_TOLERANCE", "ESF_UPON_LEAVING_DAYS", "compute_facts", "iter_facts"]

#: ESF+ "upon leaving": within four weeks after the exit date.
ESF_UPON_LEAVING_DAYS = 28
#: This library's tolerance around the ESF+ six-month date, either side.
ESF_SIX_MONTHS_TOLERANCE = 31

_DURABLE_CONTRACTS = (Contract.CDI, Contract.SELF_EMPLOYED, Contract.APPRENTICESHIP)
_TIMED_CONTRACTS = (Contract.CDD, Contract.INTERIM)


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
    if family == "employment":
        if exit_.contract in _DURABLE_CONTRACTS:
            return DynamicExit.DURABLE_EMPLOYMENT
        if (
            exit_.contract in _TIMED_CONTRACTS
            and exit_.contract_months is not None
            and exit_.contract_months >= 6
        ):
            return DynamicExit.DURABLE_EMPLOYMENT
        return DynamicExit.TRANSITION_EMPLOYMENT
    if family == "training" and exit_.qualifying is not False:
        return DynamicExit.POSITIVE_EXIT
    return DynamicExit.OTHER


def _upon_leaving(seen: list[Observation], exit_date: dt.date, family: str) -> bool:
    end = exit_date + dt.timedelta(days=ESF_UPON_LEAVING_DAYS)
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
    l4 = start + dt.timedelta(days=ESF_UPON_LEAVING_DAYS) <= as_of
    six = add_months(start, 6)
    l6 = six + dt.timedelta(days=ESF_SIX_MONTHS_TOLERANCE) <= as_of
    facts = attrs.evolve(
        facts,
        in_l4=l4,
        job_searching_upon_leaving=l4 and _upon_leaving(seen, start, "job_search"),
        training_upon_leaving=l4 and _upon_leaving(seen, start, "training"),
        employment_upon_leaving=l4 and _upon_leaving(seen, start, "employment"),
        in_l6=l6,
        employment_six_months=l6
        and nearest_include(seen, six, ESF_SIX_MONTHS_TOLERANCE, "employment"),
        dynamic_exit=dynamic_exit(exit_),
        checkins=checkin_facts(programme, journey, as_of),
    )
    if facts.population is not Population.MATURE:
        return facts
    end = add_months(start, programme.followup.months)
    first = first_positive(seen, start, end, programme.outcomes.positive)
    dropout = exit_.reason is ExitReason.DROPOUT
    outcome = "dropout" if dropout else (first.family if first else "none")
    responded = any(
        o.is_contact and start < o.date <= end and o.situation.family != "unreachable" for o in seen
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
