"""Selection of participants by basis and period (docs/indicators.md, Common rules)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from .facts import OutcomeFacts

__all__ = ["Basis", "basis_date", "is_selected"]

Basis = Literal["entry", "exit"]


def basis_date(facts: OutcomeFacts, basis: Basis) -> dt.date | None:
    """The entry date, or the exit date (None without an exit by as_of)."""
    return facts.entry_date if basis == "entry" else facts.exit_date


def is_selected(facts: OutcomeFacts, basis: Basis, start: dt.date | None, end: dt.date) -> bool:
    """Whether the basis date falls in ``[start, end]``; no lower bound when ``start`` is None."""
    day = basis_date(facts, basis)
    return day is not None and (start is None or start <= day) and day <= end
