"""An outside reader of a public report JSON: what it knows, and two attackers built on it.

The reader knows the published figures, the relations of docs/indicators.md
(tests/outcomes/published.py) and the cells no table publishes but every
reader can name: each rate's complement (denominator − numerator), the
leavers not yet in the ESF+ bases L4 and L6, the participants of unknown
education level, and the leavers by number of assessed check-ins (the
number of checkpoints is in ``provenance.parameters``). Nothing here reads
the engine's own table or relations.

- :func:`lp_intervals` is the audit's attacker, written again: a linear
  program per cell, unknowns ≥ 0, labels left out.
- :func:`pinned` is the brute-force attacker: a complete search over the
  non-negative integer tables consistent with the report, knowing which
  cells are labelled ``small`` (1 to k−1) and which ``withheld`` (k or more).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .published import Var, equations, figures

#: The largest value the brute-force search gives a cell with no upper bound.
CAP = 60
#: Nodes of one search before it gives up (tiny sites need far fewer).
NODES = 200_000


class SearchTooLarge(Exception):
    """The brute-force search did not finish within :data:`NODES` nodes."""


def _rates(indicators: Mapping[str, Any]) -> list[str]:
    return [name for name, body in indicators.items() if "numerator" in body]


def _scopes(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [("", document)]
    for dim, groups in document["breakdowns"].items():
        found += [(f"{dim}={group}", body) for group, body in groups.items()]
    return found


def hidden_cells(document: dict[str, Any]) -> list[Var]:
    """The cells a reader can name but no table publishes, in every scope."""
    checkpoints = len(document["provenance"]["parameters"]["checkpoints"])
    found: list[Var] = []
    for scope, body in _scopes(document):
        indicators = body["indicators"]
        found += [(scope, name, "complement") for name in _rates(indicators)]
        if "esf_participants" in indicators:
            found += [(scope, "esf", "l4_waiting"), (scope, "esf", "l6_waiting")]
            found.append((scope, "esf", "isced_unknown"))
        if "checkin_completion_rate" in indicators:
            found += [(scope, "leavers_assessed", str(j)) for j in range(checkpoints + 1)]
    return found


def exact_values(exact: Mapping[Var, int | None], document: dict[str, Any]) -> dict[Var, int]:
    """The published figures' exact values (``exact``, read from an internal report counted as
    ``document`` is) and the hidden cells they determine: all but the leavers by check-ins."""
    values = {var: value for var, value in exact.items() if value is not None}
    for var in hidden_cells(document):
        scope, name, part = var
        leavers = values[(scope, "population", "pending")] + values[(scope, "population", "mature")]
        if part == "complement":
            values[var] = values[(scope, name, "denominator")] - values[(scope, name, "numerator")]
        elif part == "l4_waiting":
            values[var] = leavers - values[(scope, "esf_job_searching_upon_leaving", "denominator")]
        elif part == "l6_waiting":
            values[var] = leavers - values[(scope, "esf_employment_six_months", "denominator")]
        elif part == "isced_unknown":
            known = sum(values[(scope, f"esf_isced_{b}", "count")] for b in ("0_2", "3_4", "5_8"))
            values[var] = values[(scope, "population", "selected")] - known
    return values


def merged_as_published(
    values: dict[Var, int | None], public: dict[str, Any]
) -> dict[Var, int | None]:
    """Exact values counted as the public report counts them: merged categories joined."""
    for merge in public["merged"]:  # gender X counted with unknown, as the public report does
        assert merge == {"dimension": "gender", "group": "X", "into": "unknown"}
        for var in [v for v in values if v[0] == "gender=X"]:
            values[("gender=unknown", *var[1:])] += values.pop(var)
        for var in [v for v in values if v[2] == "X"]:
            values[(*var[:2], "unknown")] += values.pop(var)
    return values


def hidden_equations(document: dict[str, Any]) -> list[dict[Var, int]]:
    """The relations that tie the hidden cells to the published ones (``Σ c·x = 0``)."""
    checkpoints = len(document["provenance"]["parameters"]["checkpoints"])
    rows: list[dict[Var, int]] = []
    for s, body in _scopes(document):
        indicators = body["indicators"]
        for name in _rates(indicators):
            rows.append({(s, name, "denominator"): 1, (s, name, "numerator"): -1})
            rows[-1][(s, name, "complement")] = -1
        leavers = {(s, "population", "pending"): 1, (s, "population", "mature"): 1}
        if "esf_participants" in indicators:
            for base, waiting in (
                ("esf_job_searching_upon_leaving", "l4_waiting"),
                ("esf_employment_six_months", "l6_waiting"),
            ):
                rows.append({**leavers, (s, base, "denominator"): -1, (s, "esf", waiting): -1})
            isced = ("esf_isced_0_2", "esf_isced_3_4", "esf_isced_5_8")
            rows.append(
                {
                    (s, "population", "selected"): 1,
                    **{(s, name, "count"): -1 for name in isced},
                    (s, "esf", "isced_unknown"): -1,
                }
            )
        if "checkin_completion_rate" in indicators:
            by_count = [(s, "leavers_assessed", str(j)) for j in range(checkpoints + 1)]
            rows.append(
                {(s, "checkin_completion_rate", "denominator"): 1}
                | {var: -j for j, var in enumerate(by_count) if j}
            )
            rows.append({**leavers} | dict.fromkeys(by_count, -1))
    for dim, groups in document["breakdowns"].items():
        for var in hidden_cells({**document, "breakdowns": {}}):
            rows.append({var: 1, **{(f"{dim}={g}", *var[1:]): -1 for g in groups}})
    return rows


def statuses(document: dict[str, Any]) -> dict[Var, str]:
    """The status of every figure of :func:`published.figures`, read from the JSON."""
    found: dict[Var, str] = {}
    for scope, body in _scopes(document):
        for key, status in body["population_status"].items():
            found[(scope, "population", key)] = status
        for name, ind in body["indicators"].items():
            if "count" in ind:
                found[(scope, name, "count")] = ind["status"]["count"]
                for gender, status in ind["status"]["by_gender"].items():
                    found[(scope, name, gender)] = status
            else:
                found[(scope, name, "numerator")] = ind["status"]["numerator"]
                found[(scope, name, "denominator")] = ind["status"]["denominator"]
    return found


def system(
    document: dict[str, Any], positive: tuple[str, ...]
) -> tuple[list[Var], list[tuple[dict[Var, int], int]]]:
    """The unknown cells and the equations over them ``Σ c·x = rhs`` (published values moved right)."""
    values = figures(document)
    unknown = [var for var, value in values.items() if value is None]
    unknown += hidden_cells(document)
    rows = []
    for relation in (*equations(document, positive), *hidden_equations(document)):
        row: dict[Var, int] = {}
        rhs = 0
        for var, c in relation.items():
            value = values.get(var)
            if value is None:
                row[var] = row.get(var, 0) + c
            else:
                rhs -= c * value
        row = {var: c for var, c in row.items() if c}
        if row or rhs:
            rows.append((row, rhs))
    return unknown, rows


def lp_intervals(
    document: dict[str, Any], positive: tuple[str, ...], cells: list[Var]
) -> dict[Var, tuple[float, float]]:
    """The audit's attacker: each cell's least and greatest value over the real solutions."""
    import numpy as np
    from scipy.optimize import linprog

    unknown, rows = system(document, positive)
    index = {var: i for i, var in enumerate(unknown)}
    matrix = np.zeros((len(rows), len(unknown)))
    for r, (row, _) in enumerate(rows):
        for var, c in row.items():
            matrix[r, index[var]] = c
    rhs = np.array([float(b) for _, b in rows])
    found = {}
    for cell in cells:
        ends = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(unknown))
            objective[index[cell]] = sign
            result = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
            assert result.status in (0, 3), result.message  # 3: unbounded above
            ends.append(sign * result.fun if result.status == 0 else float("inf"))
        found[cell] = (ends[0], ends[1])
    return found


def pinned(
    document: dict[str, Any], positive: tuple[str, ...], k: int, *, labels: bool
) -> dict[Var, int]:
    """The small cells (1 to k−1) that every consistent integer table gives one value.

    With ``labels`` the search knows them: a cell labelled ``small`` lies in
    [1, k−1], one labelled ``withheld`` in [k, ∞) (zeros are never withheld).
    Any other unknown cell lies in [0, ∞). Unbounded cells are searched up to
    :data:`CAP`.
    """
    unknown, rows = system(document, positive)
    status = statuses(document) if labels else {}
    domains: dict[Var, tuple[int, int]] = {}
    for var in unknown:
        label = status.get(var)
        domains[var] = (1, k - 1) if label == "small" else (k if label else 0, CAP)
    first = _solve(rows, domains)
    assert first is not None, "the published report has no consistent table"
    found = {}
    for var, value in sorted(first.items()):
        if not 0 < value < k:
            continue
        low, high = domains[var]
        below = value > low and _solve(rows, {**domains, var: (low, value - 1)}) is not None
        above = not below and value < high
        if above:
            above = _solve(rows, {**domains, var: (value + 1, high)}) is not None
        if not below and not above:
            found[var] = value
    return found


def _solve(
    rows: list[tuple[dict[Var, int], int]], domains: dict[Var, tuple[int, int]]
) -> dict[Var, int] | None:
    """One integer solution within ``domains``, or None: bounds propagation and branching."""
    nodes = iter(range(NODES))

    def search(current: dict[Var, tuple[int, int]]) -> dict[Var, int] | None:
        if next(nodes, None) is None:
            raise SearchTooLarge
        narrowed = _propagate(rows, current)
        if narrowed is None:
            return None
        open_ = [(hi - lo, var) for var, (lo, hi) in narrowed.items() if lo < hi]
        if not open_:
            return {var: lo for var, (lo, _) in narrowed.items()}
        _, var = min(open_)
        lo, hi = narrowed[var]
        for part in ((lo, lo), (lo + 1, hi)):
            found = search({**narrowed, var: part})
            if found is not None:
                return found
        return None

    return search(dict(domains))


def _propagate(
    rows: list[tuple[dict[Var, int], int]], domains: dict[Var, tuple[int, int]]
) -> dict[Var, tuple[int, int]] | None:
    """Bounds consistency on every equation until nothing changes; None when one fails."""
    current = dict(domains)
    changed = True
    while changed:
        changed = False
        for row, rhs in rows:
            low = sum(min(c * current[v][0], c * current[v][1]) for v, c in row.items())
            high = sum(max(c * current[v][0], c * current[v][1]) for v, c in row.items())
            if not low <= rhs <= high:
                return None
            for var, c in row.items():
                lo, hi = current[var]
                rest_low = low - min(c * lo, c * hi)
                rest_high = high - max(c * lo, c * hi)
                # c·var lies in [rhs − rest_high, rhs − rest_low]
                a, b = rhs - rest_high, rhs - rest_low
                new_lo, new_hi = (
                    (_ceil(a, c), _floor(b, c)) if c > 0 else (_ceil(b, c), _floor(a, c))
                )
                new_lo, new_hi = max(lo, new_lo), min(hi, new_hi)
                if new_lo > new_hi:
                    return None
                if (new_lo, new_hi) != (lo, hi):
                    current[var] = (new_lo, new_hi)
                    low += min(c * new_lo, c * new_hi) - min(c * lo, c * hi)
                    high += max(c * new_lo, c * new_hi) - max(c * lo, c * hi)
                    changed = True
    return current


def _ceil(a: int, c: int) -> int:
    return -((-a) // c)


def _floor(a: int, c: int) -> int:
    return a // c


def names(document: dict[str, Any]) -> Iterator[Var]:
    """Every cell the reader knows of: the published figures, then the hidden cells."""
    yield from figures(document)
    yield from hidden_cells(document)
