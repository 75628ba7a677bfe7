"""The report value object and its JSON form (docs/data-formats.md, The report document)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ..domain.programme import Audience
from .definitions import Definition

if TYPE_CHECKING:
    from .targets import TargetResult
    from .time_to_outcome import TimeToOutcomeReport
    from .time_to_outcome_public import PublicTimeToOutcomeReport
    from .trends import YearTrend

__all__ = [
    "MASKED",
    "SCHEMA",
    "SMALL",
    "Audience",
    "Figure",
    "Group",
    "Masked",
    "Merge",
    "Provenance",
    "Rate",
    "Report",
    "Tally",
    "figure_status",
    "figure_value",
]

SCHEMA = "insertion-core/report/2"


@attrs.frozen
class Masked:
    """A count withheld: ``small`` (1 to k−1) or ``withheld`` (it protects another)."""

    reason: Literal["small", "withheld"]


SMALL = Masked("small")
MASKED = Masked("withheld")

#: A published count: the number, or why it is withheld.
Figure = int | Masked


def figure_value(figure: Figure) -> int | None:
    """The count, or None when withheld (what JSON shows)."""
    return None if isinstance(figure, Masked) else figure


def figure_status(figure: Figure) -> str:
    """``shown``, ``small`` or ``withheld``: the status JSON gives beside each count."""
    return figure.reason if isinstance(figure, Masked) else "shown"


@attrs.frozen
class Rate:
    """A rate with its counts and Wilson interval.

    A suppressed rate has no numerator, value or ci95.
    """

    numerator: Figure
    denominator: Figure
    value: float | None
    ci95: tuple[float, float] | None
    suppressed: bool

    def to_json_dict(self) -> dict[str, Any]:
        """``numerator``, ``denominator``, ``value``, ``ci95``, ``suppressed``."""
        return {
            "numerator": figure_value(self.numerator),
            "denominator": figure_value(self.denominator),
            "value": self.value,
            "ci95": None if self.ci95 is None else list(self.ci95),
            "suppressed": self.suppressed,
            "status": {
                "numerator": figure_status(self.numerator),
                "denominator": figure_status(self.denominator),
            },
        }


@attrs.frozen
class Tally:
    """An output count with its split by gender (F, M, X, unknown)."""

    count: Figure
    by_gender: Mapping[str, Figure]

    def to_json_dict(self) -> dict[str, Any]:
        """``count`` and ``by_gender``, and the status of each."""
        return {
            "count": figure_value(self.count),
            "by_gender": {key: figure_value(v) for key, v in self.by_gender.items()},
            "status": {
                "count": figure_status(self.count),
                "by_gender": {key: figure_status(v) for key, v in self.by_gender.items()},
            },
        }


Indicator = Rate | Tally


def _indicators_json(indicators: Mapping[str, Indicator]) -> dict[str, Any]:
    return {key: value.to_json_dict() for key, value in indicators.items()}


def _population_json(population: Mapping[str, Figure]) -> dict[str, Any]:
    return {
        "population": {key: figure_value(v) for key, v in population.items()},
        "population_status": {key: figure_status(v) for key, v in population.items()},
    }


@attrs.frozen
class Group:
    """One row of a breakdown: the population and indicators of one group."""

    population: Mapping[str, Figure]
    indicators: Mapping[str, Indicator]

    def to_json_dict(self) -> dict[str, Any]:
        """``population``, ``population_status`` and ``indicators``, as in the report itself."""
        return {
            **_population_json(self.population),
            "indicators": _indicators_json(self.indicators),
        }


@attrs.frozen
class Provenance:
    """What changes from run to run, and what says how the figures were counted."""

    generated_at: str
    library_version: str
    definitions_version: Mapping[str, str]
    data_sha256: str
    #: Every parameter that changes what a figure means, and their short hash.
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    definitions_fingerprint: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """The provenance block."""
        return {
            "generated_at": self.generated_at,
            "library_version": self.library_version,
            "definitions_version": dict(self.definitions_version),
            "data_sha256": self.data_sha256,
            "parameters": dict(self.parameters),
            "definitions_fingerprint": self.definitions_fingerprint,
        }


@attrs.frozen
class Merge:
    """A small category merged into another before anything was withheld."""

    dimension: str
    group: str
    into: str

    def to_json_dict(self) -> dict[str, str]:
        """``dimension``, ``group`` and ``into``."""
        return {"dimension": self.dimension, "group": self.group, "into": self.into}


@attrs.frozen
class Report:
    """Every figure of one report, ready for a format to render."""

    programme: str
    as_of: dt.date
    basis: Literal["entry", "exit"]
    start: dt.date | None
    end: dt.date
    population: Mapping[str, Figure]
    indicators: Mapping[str, Indicator]
    breakdowns: Mapping[str, Mapping[str, Group]]
    provenance: Provenance
    audience: Audience = "internal"
    merged: tuple[Merge, ...] = ()
    #: Breakdowns asked for that a public report cannot publish without giving back a small count.
    withheld_breakdowns: tuple[str, ...] = ()
    #: Not in JSON: what renderers need for labels and the "<k" mark.
    locale: str = "en"
    min_cell: int = 0
    programme_name: str = ""
    definitions: Mapping[str, Definition] = attrs.field(factory=dict)
    sets: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: Section titles that plugin sets give themselves (``IndicatorSet.title``, optional).
    set_titles: Mapping[str, str] = attrs.field(factory=dict)
    #: With ``--by year``: every rate, per year, with its change (empty otherwise).
    trends: Mapping[str, Mapping[str, YearTrend]] = attrs.field(factory=dict)
    #: The programme's targets on the indicators of this report.
    targets: Mapping[str, TargetResult] = attrs.field(factory=dict)
    #: Kaplan–Meier over leavers; in a public report, its counts on a coarse grid under
    #: disclosure control (:class:`PublicTimeToOutcomeReport`).
    time_to_outcome: TimeToOutcomeReport | PublicTimeToOutcomeReport | None = None
    #: Selected participants whose optional field is known, by field (``birth_date``,
    #: ``gender``, ``education_level``, ``qpv``, ``status_at_entry``); internal reports only,
    #: since a public one would publish counts the disclosure audit does not see.
    completeness: Mapping[str, int] = attrs.field(factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON document of docs/data-formats.md, The report document (dates ISO)."""
        return {
            "schema": SCHEMA,
            "programme": self.programme,
            "audience": self.audience,
            "min_cell": self.min_cell if self.audience == "public" else 0,
            "as_of": self.as_of.isoformat(),
            "basis": self.basis,
            "period": {
                "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat(),
            },
            **_population_json(self.population),
            "indicators": _indicators_json(self.indicators),
            "merged": [merge.to_json_dict() for merge in self.merged],
            "withheld_breakdowns": list(self.withheld_breakdowns),
            "breakdowns": {
                dim: {key: group.to_json_dict() for key, group in groups.items()}
                for dim, groups in self.breakdowns.items()
            },
            "trends": {
                rate: {year: trend.to_json_dict() for year, trend in years.items()}
                for rate, years in self.trends.items()
            },
            "targets": {key: result.to_json_dict() for key, result in self.targets.items()},
            "time_to_outcome": (
                None if self.time_to_outcome is None else self.time_to_outcome.to_json_dict()
            ),
            "provenance": self.provenance.to_json_dict(),
        }
