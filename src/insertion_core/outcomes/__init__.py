"""The pure outcome engine: per-participant facts, indicator sets, disclosure control, reports.

Nothing here imports storage, click or pluggy. A report is computed from a
stream of :class:`OutcomeFacts` (or of journeys, whose facts the reference
implementation computes), counted in bounded memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..lazy import lazy_exports

# eager: the function is named as its module, which a lazy import would leave in its place
from .wilson import Z95, wilson

if TYPE_CHECKING:
    from .breakdowns import DIMENSIONS, Dimension
    from .checkins import AtRisk, DueCheckin, at_risk, checkin_facts, due_checkins
    from .definitions import (
        CountDef,
        Definition,
        IndicatorDef,
        IndicatorSet,
        RateDef,
        Relation,
        TitledSet,
    )
    from .disclosure import DisclosureError, Table, audit, protect
    from .engine import compute_report, resolve_sets
    from .facts import CheckinFact, CheckinStatus, DynamicExit, OutcomeFacts, Population
    from .reference import compute_facts, iter_facts
    from .report import MASKED, SCHEMA, SMALL, Group, Masked, Provenance, Rate, Report, Tally
    from .selection import Basis, is_selected
    from .sets import BUILTIN_SETS, DynamicExits, EsfPlus, FollowUp, KeyFigures, builtin_sets
    from .targets import TargetResult, indicator_kinds, target_results
    from .time_to_outcome import TimeToOutcome, TimeToOutcomeReport, kaplan_meier
    from .trends import YearTrend, year_trends

__all__ = [
    "BUILTIN_SETS",
    "DIMENSIONS",
    "MASKED",
    "SCHEMA",
    "SMALL",
    "Z95",
    "AtRisk",
    "Basis",
    "CheckinFact",
    "CheckinStatus",
    "CountDef",
    "Definition",
    "Dimension",
    "DisclosureError",
    "DueCheckin",
    "DynamicExit",
    "DynamicExits",
    "EsfPlus",
    "FollowUp",
    "Group",
    "IndicatorDef",
    "IndicatorSet",
    "KeyFigures",
    "Masked",
    "OutcomeFacts",
    "Population",
    "Provenance",
    "Rate",
    "RateDef",
    "Relation",
    "Report",
    "Table",
    "Tally",
    "TargetResult",
    "TimeToOutcome",
    "TimeToOutcomeReport",
    "TitledSet",
    "YearTrend",
    "at_risk",
    "audit",
    "builtin_sets",
    "checkin_facts",
    "compute_facts",
    "compute_report",
    "due_checkins",
    "indicator_kinds",
    "is_selected",
    "iter_facts",
    "kaplan_meier",
    "protect",
    "resolve_sets",
    "target_results",
    "wilson",
    "year_trends",
]

_public = lazy_exports(
    __name__,
    {
        ".breakdowns": ("DIMENSIONS", "Dimension"),
        ".checkins": ("AtRisk", "DueCheckin", "at_risk", "checkin_facts", "due_checkins"),
        ".definitions": (
            "CountDef",
            "Definition",
            "IndicatorDef",
            "IndicatorSet",
            "RateDef",
            "Relation",
            "TitledSet",
        ),
        ".disclosure": ("DisclosureError", "Table", "audit", "protect"),
        ".engine": ("compute_report", "resolve_sets"),
        ".facts": ("CheckinFact", "CheckinStatus", "DynamicExit", "OutcomeFacts", "Population"),
        ".reference": ("compute_facts", "iter_facts"),
        ".report": (
            "MASKED",
            "SCHEMA",
            "SMALL",
            "Group",
            "Masked",
            "Provenance",
            "Rate",
            "Report",
            "Tally",
        ),
        ".selection": ("Basis", "is_selected"),
        ".sets": (
            "BUILTIN_SETS",
            "DynamicExits",
            "EsfPlus",
            "FollowUp",
            "KeyFigures",
            "builtin_sets",
        ),
        ".targets": ("TargetResult", "indicator_kinds", "target_results"),
        ".time_to_outcome": ("TimeToOutcome", "TimeToOutcomeReport", "kaplan_meier"),
        ".trends": ("YearTrend", "year_trends"),
    },
)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    return _public(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
