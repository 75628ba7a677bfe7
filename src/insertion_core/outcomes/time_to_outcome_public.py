"""Time to first positive outcome in a public report: counts on a coarse grid, under disclosure control.

docs/indicators.md, Time to outcome and disclosure. The Kaplan–Meier curve of
an internal report has one row per event day, whose counts are mostly 1 or 2
persons. A public report publishes instead the counts on the rows of
:data:`GRID` (the exit day, days 1 to 30, 31 to 91, 92 to 182 and beyond): for each row
the leavers still at risk on its first day, the events and the censorings
until the next row. These cells enter the disclosure table with the relations a reader knows
(``at_risk`` of a row = that of the next + its events + its censorings; the
first row holds every leaver; leavers = pending + mature). F on a check day,
its interval and the median are shown only when every count of the rows up to
that day is shown, so that no shown figure depends on a withheld count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from .definitions import Relation
from .disclosure import Key, Status
from .report import MASKED, SMALL, Figure, figure_status, figure_value
from .time_to_outcome import CHECK_DAYS, TimeToOutcome

__all__ = [
    "GRID",
    "GRID_CELLS",
    "GRID_RELATIONS",
    "PublicTimeToOutcome",
    "PublicTimeToOutcomeReport",
    "grid_counts",
    "public_estimate",
]

#: The first day of each published row: the exit day itself, then the day after it and
#: the day after each check day, so that F on a check day rests on whole rows.
GRID = (0, 1, *(day + 1 for day in CHECK_DAYS))
LEAVERS = "time_to_outcome.leavers"
_KINDS = ("at_risk", "events", "censored")


def _cell(kind: str, day: int) -> str:
    return f"time_to_outcome.{kind}.{day}"


#: Every published cell of one scope.
GRID_CELLS = (LEAVERS, *(_cell(kind, day) for day in GRID for kind in _KINDS))


def _relations() -> tuple[Relation, ...]:
    found = [
        Relation(LEAVERS, ("population.pending", "population.mature")),
        Relation(_cell("at_risk", GRID[0]), (LEAVERS,)),
    ]
    for day, following in zip(GRID, (*GRID[1:], None), strict=True):
        rest = () if following is None else (_cell("at_risk", following),)
        found.append(
            Relation(_cell("at_risk", day), (*rest, _cell("events", day), _cell("censored", day)))
        )
    return tuple(found)


#: The relations a reader knows between the cells of one scope.
GRID_RELATIONS = _relations()


def grid_counts(times: Mapping[tuple[int, bool], int]) -> Counter[str]:
    """The grid cells of one scope from its count of leavers per ``(t, event)``."""
    found: Counter[str] = Counter()
    for (t, event), n in times.items():
        found[LEAVERS] += n
        row = max(day for day in GRID if day <= t)
        found[_cell("events" if event else "censored", row)] += n
        for day in GRID:
            if t >= day:
                found[_cell("at_risk", day)] += n
    return found


def _figure(key: Key, values: Mapping[Key, int], status: Mapping[Key, Status]) -> Figure:
    found = status[key]
    if found == "shown":
        return values[key]
    return SMALL if found == "small" else MASKED


@attrs.frozen
class GridRow:
    """One published row: from ``day`` to the next row's day (excluded)."""

    day: int
    at_risk: Figure
    events: Figure
    censored: Figure

    def shown(self) -> bool:
        """True when its three counts are shown."""
        return all(isinstance(f, int) for f in (self.at_risk, self.events, self.censored))

    def to_json_dict(self) -> dict[str, Any]:
        """``day``, the three counts (null when withheld) and their ``status``."""
        counts = {"at_risk": self.at_risk, "events": self.events, "censored": self.censored}
        return {
            "day": self.day,
            **{name: figure_value(f) for name, f in counts.items()},
            "status": {name: figure_status(f) for name, f in counts.items()},
        }


@attrs.frozen
class PublicTimeToOutcome:
    """The public estimate of one scope: the grid rows, F on the check days, the median."""

    leavers: Figure
    rows: tuple[GridRow, ...]
    #: F and its interval on each check day; None when a count it rests on is withheld.
    by_day: Mapping[int, tuple[float, tuple[float, float]] | None]
    median_days: int | None
    median_status: str

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON ``time_to_outcome`` object of one scope in a public report."""
        by_day: dict[str, Any] = {}
        for day, found in self.by_day.items():
            at_risk = next(row.at_risk for row in self.rows if row.day == day + 1)
            by_day[str(day)] = {
                "share": None if found is None else found[0],
                "ci95": None if found is None else list(found[1]),
                "at_risk": figure_value(at_risk),
                "status": {
                    "share": "shown" if found is not None else "withheld",
                    "at_risk": figure_status(at_risk),
                },
            }
        return {
            "leavers": figure_value(self.leavers),
            "leavers_status": figure_status(self.leavers),
            "median_days": self.median_days,
            "median_status": self.median_status,
            "share_positive_by_day": by_day,
            "grid": [row.to_json_dict() for row in self.rows],
        }


def public_estimate(
    scope: str, estimate: TimeToOutcome, values: Mapping[Key, int], status: Mapping[Key, Status]
) -> PublicTimeToOutcome:
    """What a public report shows of ``estimate``, given the disclosure status of its grid cells.

    F on day g rests on every event and censoring up to day g and on the
    leavers followed beyond it (the next row's ``at_risk``, which those rows
    determine): it is shown only when every row starting on or before g is
    shown whole. The median follows the same rule on its day.
    """
    rows = tuple(
        GridRow(day, *(_figure((scope, _cell(kind, day)), values, status) for kind in _KINDS))
        for day in GRID
    )

    def known_until(day: int) -> bool:
        return all(row.shown() for row in rows if row.day <= day)

    by_day = {day: estimate.share_on(day) if known_until(day) else None for day in estimate.by_day}
    median = estimate.median_days
    if median is None:
        median_status = "shown" if all(row.shown() for row in rows) else "withheld"
    else:
        median_status = "shown" if known_until(median) else "withheld"
    return PublicTimeToOutcome(
        _figure((scope, LEAVERS), values, status),
        rows,
        by_day,
        median if median_status == "shown" else None,
        median_status,
    )


@attrs.frozen
class PublicTimeToOutcomeReport:
    """The public estimate over all leavers, and per group of each breakdown published."""

    whole: PublicTimeToOutcome
    breakdowns: Mapping[str, Mapping[str, PublicTimeToOutcome]]

    def to_json_dict(self) -> dict[str, Any]:
        """The whole estimate's fields, and ``breakdowns`` keyed like the report's."""
        return {
            **self.whole.to_json_dict(),
            "breakdowns": {
                dim: {group: found.to_json_dict() for group, found in groups.items()}
                for dim, groups in self.breakdowns.items()
            },
        }
