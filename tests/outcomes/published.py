"""What a reader can derive from a published report: its figures and the sums between them.

Built from the JSON document alone and the definitions of docs/indicators.md, not
from the engine's own relation declarations, so that the disclosure tests
check the engine against an independent reading of the page.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

Var = tuple[str, ...]

KEY_CLASSES_FIXED = ("dropout_rate", "no_outcome_rate")


def figures(document: dict[str, Any]) -> dict[Var, int | None]:
    """Every count of the report, keyed by scope and path; None when withheld."""
    found: dict[Var, int | None] = {}

    def scope(name: str, population: dict[str, Any], indicators: dict[str, Any]) -> None:
        for key, value in population.items():
            found[(name, "population", key)] = value
        for ind, body in indicators.items():
            if "count" in body:
                found[(name, ind, "count")] = body["count"]
                for gender, value in body["by_gender"].items():
                    found[(name, ind, gender)] = value
            else:
                found[(name, ind, "numerator")] = body["numerator"]
                found[(name, ind, "denominator")] = body["denominator"]

    scope("", document["population"], document["indicators"])
    for dim, groups in document["breakdowns"].items():
        for group, body in groups.items():
            scope(f"{dim}={group}", body["population"], body["indicators"])
    return found


def equations(document: dict[str, Any], positive: tuple[str, ...]) -> list[dict[Var, int]]:
    """Linear relations ``sum(coefficient * figure) = 0`` a reader knows hold."""
    rows: list[dict[Var, int]] = []

    def total_is_sum(total: Var, parts: list[Var]) -> None:
        row: dict[Var, int] = {total: 1}
        for part in parts:
            row[part] = row.get(part, 0) - 1
        rows.append(row)

    scopes = [""] + [f"{d}={g}" for d, groups in document["breakdowns"].items() for g in groups]
    indicators = document["indicators"]
    for s in scopes:
        pop = [(s, "population", k) for k in ("in_programme", "pending", "neutralised", "mature")]
        total_is_sum((s, "population", "selected"), pop)
        if "dropout_rate" in indicators:
            classes = [f"{f}_rate" for f in positive]
            total_is_sum(
                (s, "population", "mature"),
                [(s, c, "numerator") for c in (*KEY_CLASSES_FIXED, *classes)],
            )
            total_is_sum(
                (s, "remobilisation_rate", "numerator"), [(s, c, "numerator") for c in classes]
            )
            for ind in (
                *KEY_CLASSES_FIXED,
                *classes,
                "remobilisation_rate",
                "followup_response_rate",
            ):
                total_is_sum((s, ind, "denominator"), [(s, "population", "mature")])
            for family in ("training", "employment"):
                if f"{family}_digital_share" in indicators:
                    total_is_sum(
                        (s, f"{family}_digital_share", "denominator"),
                        [(s, f"{family}_rate", "numerator")],
                    )
        if "durable_employment_rate" in indicators:
            kinds = ("durable_employment_rate", "transition_employment_rate", "positive_exit_rate")
            total_is_sum(
                (s, "dynamic_exit_rate", "numerator"), [(s, k, "numerator") for k in kinds]
            )
            for ind in (*kinds, "dynamic_exit_rate"):
                total_is_sum(
                    (s, ind, "denominator"),
                    [(s, "population", "pending"), (s, "population", "mature")],
                )
        if "esf_participants" in indicators:
            l4 = ("esf_education_training_upon_leaving", "esf_employment_upon_leaving")
            for ind in l4:
                total_is_sum(
                    (s, ind, "denominator"), [(s, "esf_job_searching_upon_leaving", "denominator")]
                )
            total_is_sum((s, "esf_participants", "count"), [(s, "population", "selected")])
            for ind, body in indicators.items():
                if "count" in body:
                    total_is_sum((s, ind, "count"), [(s, ind, g) for g in body["by_gender"]])
        if "checkin_completion_rate" in indicators:
            total_is_sum(
                (s, "checkin_reached_rate", "denominator"),
                [(s, "checkin_completion_rate", "denominator")],
            )
    for dim, groups in document["breakdowns"].items():
        for var in figures({**document, "breakdowns": {}}):
            rows.append({var: 1, **{(f"{dim}={g}", *var[1:]): -1 for g in groups}})
    return rows


def _reduce(row: dict[Var, Fraction], basis: list[tuple[Var, dict[Var, Fraction]]]) -> None:
    """Subtract each basis row in turn to clear its pivot column from ``row``."""
    for col, pivot_row in basis:
        factor = row.get(col)
        if not factor:
            continue
        scale = factor / pivot_row[col]
        for key, value in pivot_row.items():
            new = row.get(key, Fraction(0)) - scale * value
            if new:
                row[key] = new
            else:
                row.pop(key, None)


def recoverable(document: dict[str, Any], positive: tuple[str, ...]) -> list[Var]:
    """Withheld figures that the published figures and relations determine exactly.

    The relations restricted to withheld figures are put in echelon form; a
    withheld figure x is determined when the equation ``x = value`` is a
    combination of them, i.e. when its unit row reduces to nothing.
    """
    values = figures(document)
    unknown = {var for var, value in values.items() if value is None}
    basis: list[tuple[Var, dict[Var, Fraction]]] = []
    for relation in equations(document, positive):
        row = {var: Fraction(c) for var, c in relation.items() if var in unknown and c}
        _reduce(row, basis)
        if row:
            basis.append((max(row), row))
    found = []
    for var in sorted(unknown):
        unit = {var: Fraction(1)}
        _reduce(unit, basis)
        if not unit:
            found.append(var)
    return found
