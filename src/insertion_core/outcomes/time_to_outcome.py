"""Time to first positive outcome: the Kaplan–Meier estimate over leavers (docs/indicators.md).

Every leaver gives one time in days after exit: the day of the first positive
outcome (an event), or the day their observation stops (censored: the end of
the window, or as_of while the window is still open). Kaplan–Meier turns them
into F(t), the share of leavers with a positive outcome by day t, with the
Greenwood variance and the log-log interval that lifelines computes by default.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from ..domain.calendar import add_months
from .breakdowns import Dimension
from .facts import OutcomeFacts
from .wilson import Z95

__all__ = [
    "CHECK_DAYS",
    "CurvePoint",
    "DayShare",
    "LeaverTimes",
    "TimeToOutcome",
    "TimeToOutcomeReport",
    "kaplan_meier",
    "leaver_time",
]

#: The days after exit at which F is shown: about one, three and six months.
CHECK_DAYS = (30, 91, 182)


def leaver_time(
    facts: OutcomeFacts, followup_months: int, as_of: dt.date
) -> tuple[int, bool] | None:
    """``(t, event)`` of one leaver, None for anyone outside population L.

    L holds the exited, non-neutralised participants (mature and pending).
    ``facts.days_to_positive`` is already None for a dropout, and for an
    outcome after the horizon min(window end, as_of).
    """
    if not facts.exited or facts.exit_date is None:
        return None
    if facts.days_to_positive is not None:
        return facts.days_to_positive, True
    horizon = min(add_months(facts.exit_date, followup_months), as_of)
    return (horizon - facts.exit_date).days, False


@attrs.frozen
class CurvePoint:
    """One event time: at risk, events, censored until the next event time, and F with its interval.

    ``censored`` counts the leavers censored at a time from ``day`` up to the
    next event time (excluded), so that the next ``at_risk`` is
    ``at_risk − events − censored``.
    """

    day: int
    at_risk: int
    events: int
    censored: int
    share: float
    ci95: tuple[float, float]

    def to_json_dict(self) -> dict[str, Any]:
        """``day``, ``at_risk``, ``events``, ``censored``, ``share`` and ``ci95``."""
        return {
            "day": self.day,
            "at_risk": self.at_risk,
            "events": self.events,
            "censored": self.censored,
            "share": self.share,
            "ci95": list(self.ci95),
        }


@attrs.frozen
class DayShare:
    """F on one day after exit, its interval and the number of leavers still at risk (t ≥ day)."""

    share: float
    ci95: tuple[float, float]
    at_risk: int

    def to_json_dict(self) -> dict[str, Any]:
        """``share``, ``ci95`` and ``at_risk``."""
        return {"share": self.share, "ci95": list(self.ci95), "at_risk": self.at_risk}


@attrs.frozen
class TimeToOutcome:
    """The Kaplan–Meier estimate of one scope: the curve, the median and F on the check days."""

    leavers: int
    events: int
    #: Leavers censored before the first event time (not in any curve row).
    censored_before_first: int
    curve: tuple[CurvePoint, ...]
    median_days: int | None
    by_day: Mapping[int, DayShare]

    def share_on(self, day: int) -> tuple[float, tuple[float, float]]:
        """F on ``day`` with its interval: those of the last event time at most ``day``."""
        share, ci95 = 0.0, (0.0, 0.0)
        for point in self.curve:
            if point.day > day:
                break
            share, ci95 = point.share, point.ci95
        return share, ci95

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON ``time_to_outcome`` object of one scope (docs/data-formats.md)."""
        return {
            "leavers": self.leavers,
            "events": self.events,
            "median_days": self.median_days,
            "censored_before_first": self.censored_before_first,
            "share_positive_by_day": {
                str(day): share.to_json_dict() for day, share in self.by_day.items()
            },
            "curve": [point.to_json_dict() for point in self.curve],
        }


def kaplan_meier(times: Mapping[tuple[int, bool], int]) -> TimeToOutcome:
    """The estimate from a count of leavers per ``(t, event)``.

    At a tie, events come before censorings: a leaver censored at t_j is at
    risk at t_j.
    """
    events = Counter({t: n for (t, event), n in times.items() if event and n})
    censored = Counter({t: n for (t, event), n in times.items() if not event and n})
    leavers = sum(events.values()) + sum(censored.values())
    event_days = sorted(events)
    at_risk = leavers
    # Exact, so that a curve reaching one half is not missed by a rounding (the median).
    survival, variance = Fraction(1), 0.0
    curve: list[CurvePoint] = []
    median: int | None = None
    before_first = sum(n for t, n in censored.items() if not event_days or t < event_days[0])
    at_risk -= before_first
    for i, day in enumerate(event_days):
        d = events[day]
        survival *= Fraction(at_risk - d, at_risk)
        if d < at_risk:
            variance += d / (at_risk * (at_risk - d))
        following = event_days[i + 1] if i + 1 < len(event_days) else None
        gone = sum(
            n for t, n in censored.items() if t >= day and (following is None or t < following)
        )
        point = CurvePoint(
            day, at_risk, d, gone, float(1 - survival), _interval(float(survival), variance)
        )
        curve.append(point)
        if median is None and survival <= Fraction(1, 2):
            median = day
        at_risk -= d + gone
    found = TimeToOutcome(leavers, sum(events.values()), before_first, tuple(curve), median, {})
    by_day = {day: _day_share(found, censored, day) for day in CHECK_DAYS}
    return attrs.evolve(found, by_day=by_day)


def _day_share(found: TimeToOutcome, censored: Counter[int], day: int) -> DayShare:
    """F on ``day`` and the leavers whose time is at least ``day``."""
    share, ci95 = found.share_on(day)
    gone = sum(p.events for p in found.curve if p.day < day)
    gone += sum(n for t, n in censored.items() if t < day)
    return DayShare(share, ci95, found.leavers - gone)


def _interval(survival: float, variance: float) -> tuple[float, float]:
    """F's 95 % interval from S and the Greenwood sum, on the log-log scale."""
    if survival <= 0:
        return (1.0, 1.0)
    if survival >= 1:
        return (0.0, 0.0)
    c = Z95 * math.sqrt(variance) / math.log(survival)
    upper_s, lower_s = survival ** math.exp(c), survival ** math.exp(-c)
    return (1 - upper_s, 1 - lower_s)


@attrs.frozen
class TimeToOutcomeReport:
    """The estimate over all leavers, and per group of each breakdown asked for."""

    whole: TimeToOutcome
    breakdowns: Mapping[str, Mapping[str, TimeToOutcome]]

    def to_json_dict(self) -> dict[str, Any]:
        """The whole estimate's fields, and ``breakdowns`` keyed like the report's."""
        return {
            **self.whole.to_json_dict(),
            "breakdowns": {
                dim: {group: found.to_json_dict() for group, found in groups.items()}
                for dim, groups in self.breakdowns.items()
            },
        }


class LeaverTimes:
    """Counts of leavers per ``(t, event)``, for the whole selection and each breakdown group.

    Memory is bounded by the number of distinct days, whatever the number of leavers.
    """

    def __init__(self, followup_months: int, as_of: dt.date, dimensions: Sequence[Dimension]):
        self.followup_months = followup_months
        self.as_of = as_of
        self.dimensions = tuple(dimensions)
        self.whole: Counter[tuple[int, bool]] = Counter()
        self.groups: dict[str, dict[str, Counter[tuple[int, bool]]]] = {
            d.name: {} for d in self.dimensions
        }

    def add(self, facts: OutcomeFacts) -> None:
        """Count one selected participant, when a leaver."""
        found = leaver_time(facts, self.followup_months, self.as_of)
        if found is None:
            return
        self.add_count(facts, found, 1)

    def add_count(self, facts: OutcomeFacts, found: tuple[int, bool], count: int) -> None:
        """Count ``count`` leavers of time ``found`` in the groups of ``facts`` (stored facts)."""
        self.whole[found] += count
        for dimension in self.dimensions:
            self.groups[dimension.name].setdefault(dimension.key(facts), Counter())[found] += count

    def estimates(self) -> TimeToOutcomeReport:
        """Kaplan–Meier for the whole and for every group that has a leaver, in the groups' order."""
        return TimeToOutcomeReport(
            kaplan_meier(self.whole),
            {
                d.name: {
                    group: kaplan_meier(self.groups[d.name][group])
                    for group in d.groups(self.groups[d.name])
                    if group in self.groups[d.name]
                }
                for d in self.dimensions
            },
        )
