"""Observations of a participant's situation after exit, and the rules that pick among them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from ..domain.journey import Journey
from ..domain.situations import Sector, Situation

__all__ = [
    "Observation",
    "first_positive",
    "first_positive_day",
    "nearest_include",
    "observations",
]


@attrs.frozen
class Observation:
    """A situation seen on a day: the exit destination or a follow-up contact."""

    date: dt.date
    situation: Situation
    is_contact: bool


def observations(journey: Journey, as_of: dt.date) -> list[Observation]:
    """The exit destination and every contact dated at most ``as_of``.

    Empty without an exit by then.
    """
    exit_ = journey.exit
    if exit_ is None or exit_.exit_date > as_of:
        return []
    seen = [Observation(exit_.exit_date, _lower(exit_.destination), False)]
    seen.extend(
        Observation(c.contact_date, _lower(c.situation), True)
        for c in journey.contacts
        if c.contact_date <= as_of
    )
    return seen


def _lower(situation: Situation) -> Situation:
    family = situation.family.lower()
    return situation if family == situation.family else Situation(family, situation.sector)


def first_positive(
    seen: Iterable[Observation], start: dt.date, end: dt.date, positive: Sequence[str]
) -> Situation | None:
    """The earliest positive observation in ``[start, end]``.

    Same day: the family listed first in ``positive`` wins, then sector digital.
    """
    best: tuple[dt.date, int, int] | None = None
    found: Situation | None = None
    for obs in seen:
        family = obs.situation.family
        if family not in positive or not start <= obs.date <= end:
            continue
        key = (obs.date, positive.index(family), 0 if obs.situation.sector is Sector.DIGITAL else 1)
        if best is None or key < best:
            best, found = key, obs.situation
    return found


def first_positive_day(
    seen: Iterable[Observation], start: dt.date, end: dt.date, positive: Sequence[str]
) -> dt.date | None:
    """The day of the earliest positive observation in ``[start, end]``, None without one."""
    return min(
        (o.date for o in seen if o.situation.family in positive and start <= o.date <= end),
        default=None,
    )


def nearest_include(
    seen: Iterable[Observation], target: dt.date, tolerance_days: int, family: str
) -> bool:
    """Whether the observations nearest ``target`` include ``family``.

    Only observations within ``tolerance_days`` of it, either side, count.
    """
    distance: int | None = None
    families: set[str] = set()
    for obs in seen:
        gap = abs((obs.date - target).days)
        if gap > tolerance_days:
            continue
        if distance is None or gap < distance:
            distance, families = gap, {obs.situation.family}
        elif gap == distance:
            families.add(obs.situation.family)
    return family in families
