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
    "TitledSet",
    "at_risk",
    "audit",
    "builtin_sets",
    "checkin_facts",
    "compute_facts",
    "compute_report",
    "due_checkins",
    "is_selected",
    "iter_facts",
    "protect",
    "resolve_sets",
    "wilson",
]
