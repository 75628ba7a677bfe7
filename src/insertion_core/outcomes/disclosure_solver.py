"""The linear and integer programs of disclosure control, solved with HiGHS.

:func:`interval_widths` gives the attacker's feasible interval of each small
cell (two linear programs a cell); :func:`choose_secondary` picks the
secondary cells to withhold at the least cost (integer programs). highspy,
numpy and scipy are imported when a public report is protected, never before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .disclosure_table import (
    CellGroups,
    DisclosureError,
    Key,
    Table,
    linked_groups,
    relation_equalities,
    unknown_cells,
)

if TYPE_CHECKING:
    import numpy as np

__all__ = ["EXACT_LIMIT", "SOLVER_SECONDS", "choose_secondary", "interval_widths"]

#: Above this many solver variables the joint integer program gives way to one
#: integer program per exposed cell (the documented heuristic for large tables).
EXACT_LIMIT = 8_000


#: Seconds given to one integer program before its best solution is taken.
SOLVER_SECONDS = 20.0


def interval_widths(
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

    model = _linear_program(
        csc_matrix(_matrix(rows, width)),
        np.zeros(width),
        (np.zeros(width), np.full(width, highspy.kHighsInf)),
        (rhs, rhs),
    )
    solver = _quiet_solver()
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


def _matrix(rows: Sequence[Mapping[int, float]], width: int) -> np.ndarray[Any, Any]:
    import numpy as np

    matrix = np.zeros((len(rows), width))
    for r, row in enumerate(rows):
        for c, value in row.items():
            matrix[r, c] = value
    return matrix


def choose_secondary(
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
    unknown = unknown_cells(table, withheld)
    groups = linked_groups(table, unknown | set(candidates))
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
    groups: CellGroups,
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
        equalities, _ = relation_equalities(
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
    model = _linear_program(matrix.tocsc(), cost, (lower, upper), (low, high))
    model.integrality_ = [
        highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
        for flag in integrality
    ]
    solver = _quiet_solver()
    solver.setOptionValue("time_limit", SOLVER_SECONDS)
    solver.passModel(model)
    solver.run()
    if solver.getInfo().primal_solution_status != 2:  # no feasible solution found
        return set()
    chosen_values = solver.getSolution().col_value
    return {key for key, i in x_of.items() if chosen_values[i] > 0.5}


def _max_weight(table: Table) -> int:
    return max((abs(c) for r in table.relations for _, c in r.terms()), default=1)


def _linear_program(
    columns: Any,
    cost: np.ndarray[Any, Any],
    bounds: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
    row_bounds: tuple[Sequence[float], Sequence[float]],
) -> Any:
    """A HiGHS model: ``columns`` (a scipy CSC matrix) with its costs and both bounds' pairs."""
    import highspy
    import numpy as np

    model = highspy.HighsLp()
    model.num_col_ = len(cost)
    model.num_row_ = len(row_bounds[0])
    model.col_cost_ = cost
    model.col_lower_, model.col_upper_ = bounds
    model.row_lower_ = np.asarray(row_bounds[0], dtype=float)
    model.row_upper_ = np.asarray(row_bounds[1], dtype=float)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = columns.indptr
    model.a_matrix_.index_ = columns.indices
    model.a_matrix_.value_ = columns.data
    return model


def _quiet_solver() -> Any:
    """A HiGHS solver that prints nothing.

    The core class: ``highspy.Highs()`` prints a banner on the process's standard
    output when created, which would corrupt a report written there.
    """
    import highspy

    solver = highspy._core._Highs()
    solver.setOptionValue("output_flag", False)
    return solver
