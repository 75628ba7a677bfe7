"""Disclosure control for public reports: choose what to withhold, then prove it holds.

docs/indicators.md, Disclosure control. A report is a table of integer
cells keyed ``(scope, cell)``; some are published, others exist only in the
relations that tie them (a rate's complement, the part of a population not
yet in an ESF+ base). Relations are linear equalities ``total = Σ w·part``.

- :func:`audit` plays the attacker: for every small cell (1 to k−1 persons,
  published or not) it solves two linear programs (HiGHS) over the unknown cells
  (withheld and unpublished ones, each ≥ 0) under every relation and every
  published value, and the feasible interval must be at least k wide.
- :func:`protect` withholds the small published cells, then chooses the
  secondary cells by integer programming: the fewest persons withheld, then
  the fewest cells, such that the audit passes. Zeros are never withheld.

Withholding a cell only ever widens the attacker's intervals, so the
secondary choice only needs to look at the cells the audit finds exposed.
The solver is HiGHS (highspy), imported when a public report is protected
(internal reports never need it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from .disclosure_solver import EXACT_LIMIT, choose_secondary, interval_widths
from .disclosure_table import (
    DisclosureError,
    Key,
    RelationKeys,
    Status,
    Table,
    linked_groups,
    relation_equalities,
    unknown_cells,
)

__all__ = [
    "EXACT_LIMIT",
    "AuditFailure",
    "DisclosureError",
    "Key",
    "RelationKeys",
    "Status",
    "Table",
    "audit",
    "protect",
]


@attrs.frozen
class AuditFailure:
    """A small cell the attacker's linear program pins to an interval narrower than k."""

    cell: Key
    low: float
    high: float


def audit(
    table: Table, withheld: Iterable[Key], k: int, cells: Iterable[Key] | None = None
) -> list[AuditFailure]:
    """The small cells that the published figures pin to an interval narrower than ``k``.

    ``cells``: only these (default every small cell). Withholding more cells
    only widens the intervals, so a cell that passed stays passed.
    """
    if k <= 0:
        return []
    unknown = unknown_cells(table, set(withheld))
    groups = linked_groups(table, unknown)
    failures = []
    small_by_group: dict[int, list[Key]] = {}
    chosen = table.small(k) if cells is None else [c for c in cells if 0 < table.values[c] < k]
    for cell in chosen:
        if cell in unknown:
            small_by_group.setdefault(groups.of[cell], []).append(cell)
        else:
            value = float(table.values[cell])
            failures.append(AuditFailure(cell, value, value))
    for group, small in small_by_group.items():
        cells = groups.cells[group]
        index = {key: i for i, key in enumerate(cells)}
        rows, rhs = relation_equalities(table, index, unknown, groups.relations.get(group, ()))
        for cell, width in zip(
            small, interval_widths(rows, rhs, len(cells), [index[c] for c in small], k), strict=True
        ):
            if width < k - 1e-6:
                failures.append(AuditFailure(cell, table.values[cell], table.values[cell] + width))
    return sorted(failures, key=lambda failure: failure.cell)


def protect(
    table: Table,
    k: int,
    fixed: Mapping[Key, bool] | None = None,
    rounds: int | None = None,
) -> dict[Key, Status]:
    """The status of every published cell: ``small``, ``withheld`` or ``shown``.

    ``fixed`` decides some cells beforehand (True: withheld, False: shown), as
    the headline does for the breakdowns. ``k`` 0 withholds nothing.
    ``rounds`` bounds the work: at most that many rounds of choice and audit.
    :raises DisclosureError: when no choice passes the audit, or none was
        found within ``rounds``.
    """
    fixed = fixed or {}
    status: dict[Key, Status] = dict.fromkeys(table.published, "shown")
    if k <= 0:
        return status
    withheld: set[Key] = set()
    for key in table.published:
        value = table.values[key]
        if fixed.get(key) is True or (key not in fixed and 0 < value < k):
            withheld.add(key)
            status[key] = "small" if 0 < value < k else "withheld"
    candidates = sorted(
        key
        for key in table.published
        if key not in withheld and key not in fixed and table.values[key] > 0
    )
    failures = audit(table, withheld, k)
    while failures:
        chosen = choose_secondary(table, k, withheld, candidates, [f.cell for f in failures])
        if not chosen:
            exposed = ", ".join(
                f"{scope or 'all'}/{cell}" for scope, cell in (f.cell for f in failures)
            )
            raise DisclosureError(
                f"the public report cannot be protected at k = {k}: these cells would still be "
                f"computable within less than k persons: {exposed}"
            )
        for key in chosen:
            withheld.add(key)
            status[key] = "withheld"
        candidates = [key for key in candidates if key not in withheld]
        if rounds is not None:
            rounds -= 1
            if rounds <= 0:
                raise DisclosureError("no protection found within the rounds allowed")
        failures = audit(table, withheld, k, [f.cell for f in failures])
    return status
