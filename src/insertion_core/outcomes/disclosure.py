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

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ..errors import InsertionError

if TYPE_CHECKING:
    import numpy as np

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

Key = tuple[str, str]
Status = Literal["shown", "small", "withheld"]

#: Above this many solver variables the joint integer program gives way to one
#: integer program per exposed cell (the documented heuristic for large tables).
EXACT_LIMIT = 8_000
#: Seconds given to one integer program before its best solution is taken.
SOLVER_SECONDS = 20.0


class DisclosureError(InsertionError):
    """A public report could not be protected: it is not written."""


@attrs.frozen
class RelationKeys:
    """``total = Σ weight·part`` over keyed cells; weights default to 1."""

    total: Key
    parts: tuple[Key, ...]
    weights: tuple[int, ...] = ()

    def terms(self) -> Iterator[tuple[Key, int]]:
        """``(cell, coefficient)`` with ``Σ coefficient·cell = 0``."""
        yield self.total, 1
        weights = self.weights or (1,) * len(self.parts)
        for part, weight in zip(self.parts, weights, strict=True):
            yield part, -weight


@attrs.frozen
class Table:
    """Every cell of a report with its exact value, which of them are published, and the relations."""

    values: Mapping[Key, int]
    published: frozenset[Key]
    relations: tuple[RelationKeys, ...]
    #: Never published and not themselves protected: cells that only state a relation a
    #: reader knows (leavers not yet in an ESF+ base, leavers by number of check-ins).
    auxiliary: frozenset[Key] = frozenset()

    def restricted(self, scopes: Collection[str]) -> Table:
        """The cells of ``scopes`` and the relations among them alone."""
        values = {key: v for key, v in self.values.items() if key[0] in scopes}
        relations = tuple(
            r for r in self.relations if all(key[0] in scopes for key, _ in r.terms())
        )
        return Table(
            values,
            frozenset(k for k in self.published if k[0] in scopes),
            relations,
            frozenset(k for k in self.auxiliary if k[0] in scopes),
        )

    def small(self, k: int) -> list[Key]:
        """The cells from 1 to k−1, published or not (but not auxiliary), in a stable order."""
        return sorted(
            key for key, value in self.values.items() if 0 < value < k and key not in self.auxiliary
        )


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
    unknown = _unknown(table, set(withheld))
    groups = _groups(table, unknown)
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
        rows, rhs = _equalities(table, index, unknown, groups.relations.get(group, ()))
        for cell, width in zip(
            small, _widths(rows, rhs, len(cells), [index[c] for c in small], k), strict=True
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
        chosen = _choose(table, k, withheld, candidates, [f.cell for f in failures])
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


def _unknown(table: Table, withheld: set[Key]) -> set[Key]:
    """What the attacker does not read: withheld cells and cells never published."""
    return {key for key in table.values if key in withheld or key not in table.published}


@attrs.frozen
class _Groups:
    """Cells linked through relations: each cell's group, each group's cells and relations."""

    of: dict[Key, int]
    cells: dict[int, list[Key]]
    relations: dict[int, list[RelationKeys]]


def _groups(table: Table, linked: set[Key]) -> _Groups:
    """The connected groups of ``linked`` cells through the relations (union-find)."""
    parent = {key: key for key in linked}

    def find(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for relation in table.relations:
        members = [key for key, _ in relation.terms() if key in linked]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    roots: dict[Key, int] = {}
    of = {key: roots.setdefault(find(key), len(roots)) for key in sorted(linked)}
    cells: dict[int, list[Key]] = {}
    for key, group in of.items():
        cells.setdefault(group, []).append(key)
    relations: dict[int, list[RelationKeys]] = {}
    for relation in table.relations:
        for key, _ in relation.terms():
            if key in linked:
                relations.setdefault(of[key], []).append(relation)
                break
    return _Groups(of, cells, relations)


def _widths(
    rows: Sequence[Mapping[int, float]],
    rhs: Sequence[float],
    width: int,
    targets: Sequence[int],
    k: int,
) -> list[float]:
    """For each target cell, the width of its feasible interval (capped at ``k``).

    One HiGHS model for the group, solved twice per target (minimum, then
    maximum of that cell) with only the objective changed, so each solve
    starts from the previous basis.
    """
    if not rows:
        return [float(k)] * len(targets)
    if width == 1:  # one unknown in an equation: it is pinned
        return [0.0] * len(targets)
    import highspy
    import numpy as np
    from scipy.sparse import csc_matrix

    matrix = csc_matrix(_matrix(rows, width))
    model = highspy.HighsLp()
    model.num_col_ = width
    model.num_row_ = len(rows)
    model.col_cost_ = np.zeros(width)
    model.col_lower_ = np.zeros(width)
    model.col_upper_ = np.full(width, highspy.kHighsInf)
    model.row_lower_ = np.asarray(rhs, dtype=float)
    model.row_upper_ = np.asarray(rhs, dtype=float)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = matrix.indptr
    model.a_matrix_.index_ = matrix.indices
    model.a_matrix_.value_ = matrix.data
    # The core class: highspy.Highs() prints a banner on the process's standard
    # output when created, which would corrupt a report written there.
    solver = highspy._core._Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(model)
    found = []
    for target in targets:
        bounds = []
        for sign in (1.0, -1.0):
            solver.changeColCost(target, sign)
            solver.run()
            status = solver.getModelStatus()
            if status not in (
                highspy.HighsModelStatus.kOptimal,
                highspy.HighsModelStatus.kUnbounded,
            ):
                solver.clearSolver()  # a warm start that went astray: solve from scratch
                solver.run()
                status = solver.getModelStatus()
            if status == highspy.HighsModelStatus.kUnbounded:
                bounds.append(float("inf"))
            elif status != highspy.HighsModelStatus.kOptimal:
                raise DisclosureError(f"the disclosure audit could not be solved: {status}")
            else:
                bounds.append(sign * solver.getInfo().objective_function_value)
        solver.changeColCost(target, 0.0)
        found.append(min(bounds[1] - bounds[0], float(k)))
    return found


def _equalities(
    table: Table,
    index: Mapping[Key, int],
    unknown: set[Key],
    relations: Iterable[RelationKeys],
) -> tuple[list[dict[int, float]], list[float]]:
    """The ``relations`` over the cells of ``index``, with the published values moved right.

    A relation with an unknown cell outside ``index`` belongs to another group.
    """
    rows: list[dict[int, float]] = []
    rhs: list[float] = []
    for relation in relations:
        row: dict[int, float] = {}
        constant = 0.0
        for key, coefficient in relation.terms():
            if key in index:
                row[index[key]] = row.get(index[key], 0.0) + coefficient
            elif key in unknown:
                row = {}
                break
            else:
                constant -= coefficient * table.values[key]
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
            rhs.append(constant)
    return rows, rhs


def _matrix(rows: Sequence[Mapping[int, float]], width: int) -> np.ndarray[Any, Any]:
    import numpy as np

    matrix = np.zeros((len(rows), width))
    for r, row in enumerate(rows):
        for c, value in row.items():
            matrix[r, c] = value
    return matrix


def _choose(
    table: Table,
    k: int,
    withheld: set[Key],
    candidates: Sequence[Key],
    exposed: Sequence[Key],
) -> set[Key]:
    """Secondary cells that protect ``exposed`` at the least cost (persons, then cells).

    One integer program over every exposed cell when it has at most
    :data:`EXACT_LIMIT` variables: the optimum. Beyond, the documented
    heuristic: one integer program per exposed cell in turn, each given the
    cells chosen before it.
    """
    unknown = _unknown(table, withheld)
    groups = _groups(table, unknown | set(candidates))
    size = sum(2 * len(groups.cells[groups.of[cell]]) for cell in exposed)
    if size <= EXACT_LIMIT:
        return _solve(table, k, unknown, set(candidates), groups, exposed)
    chosen: set[Key] = set()
    for cell in exposed:
        found = _solve(table, k, unknown | chosen, set(candidates) - chosen, groups, [cell])
        chosen |= found
    return chosen


def _solve(
    table: Table,
    k: int,
    unknown: set[Key],
    candidates: set[Key],
    groups: _Groups,
    exposed: Sequence[Key],
) -> set[Key]:
    """Minimum-cost secondary cells so that each exposed cell can move by k.

    For each exposed cell s there are two deviation vectors y⁺ and y⁻ over the
    cells linked to s, each satisfying every relation (A·y = 0) and keeping
    cells non-negative (y ≥ −value); a candidate cell may deviate only if
    withheld (−value·x ≤ y ≤ M·x); and y⁺_s − y⁻_s ≥ k. That is exactly the
    audit's condition for the chosen cells.
    """
    import highspy
    import numpy as np
    from scipy.sparse import lil_matrix

    involved = sorted({groups.of[cell] for cell in exposed})
    chosen = sorted(key for g in involved for key in groups.cells[g] if key in candidates)
    x_of = {key: i for i, key in enumerate(chosen)}
    big = float(max(max(table.values.values(), default=0), k) * _max_weight(table) * 4 + k)
    # one block of deviations per exposed cell and direction, over the cells of its group
    blocks: list[tuple[Key, list[Key], int]] = []
    offset = len(chosen)
    for cell in exposed:
        cells = groups.cells[groups.of[cell]]
        for _ in range(2):
            blocks.append((cell, cells, offset))
            offset += len(cells)
    n = offset
    lower = np.zeros(n)
    upper = np.zeros(n)
    upper[: len(chosen)] = 1.0
    rows: list[dict[int, float]] = []
    low: list[float] = []
    high: list[float] = []
    for cell, cells, start in blocks:
        index = {key: start + i for i, key in enumerate(cells)}
        equalities, _ = _equalities(
            table, index, unknown | candidates, groups.relations.get(groups.of[cell], ())
        )
        rows += equalities
        low += [0.0] * len(equalities)
        high += [0.0] * len(equalities)
        for key, i in index.items():
            value = float(table.values[key])
            lower[i], upper[i] = -value, big
            if key in x_of:  # y + value·x ≥ 0 and y − M·x ≤ 0
                rows += [{i: 1.0, x_of[key]: value}, {i: 1.0, x_of[key]: -big}]
                low += [0.0, -np.inf]
                high += [np.inf, 0.0]
    for b in range(0, len(blocks), 2):
        cell, cells, plus = blocks[b]
        minus = blocks[b + 1][2]
        where = cells.index(cell)
        rows.append({plus + where: 1.0, minus + where: -1.0})
        low.append(float(k))
        high.append(np.inf)
    matrix = lil_matrix((len(rows), n))
    for r, row in enumerate(rows):
        for c, value in row.items():
            matrix[r, c] = value
    cost = np.zeros(n)
    for key, x in x_of.items():
        cost[x] = table.values[key] * (len(chosen) + 1) + 1  # persons first, then cells
    integrality = np.zeros(n)
    integrality[: len(chosen)] = 1
    columns = matrix.tocsc()
    model = highspy.HighsLp()
    model.num_col_ = n
    model.num_row_ = len(rows)
    model.col_cost_ = cost
    model.col_lower_ = lower
    model.col_upper_ = upper
    model.row_lower_ = np.asarray(low, dtype=float)
    model.row_upper_ = np.asarray(high, dtype=float)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = columns.indptr
    model.a_matrix_.index_ = columns.indices
    model.a_matrix_.value_ = columns.data
    model.integrality_ = [
        highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
        for flag in integrality
    ]
    solver = highspy._core._Highs()  # see _widths: the public class prints a banner
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", SOLVER_SECONDS)
    solver.passModel(model)
    solver.run()
    if solver.getInfo().primal_solution_status != 2:  # no feasible solution found
        return set()
    chosen_values = solver.getSolution().col_value
    return {key for key, i in x_of.items() if chosen_values[i] > 0.5}


def _max_weight(table: Table) -> int:
    return max((abs(c) for r in table.relations for _, c in r.terms()), default=1)
