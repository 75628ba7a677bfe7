"""The pure outcome engine: per-participant facts, indicator sets, disclosure control, reports.

Nothing here imports storage, click or pluggy. A report is computed from a
stream of :class:`OutcomeFacts` (or of journeys, whose facts the reference
implementation computes), counted in bounded memory.
"""

from __future__ import annotations

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
from .wilson import Z95, wilson

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
