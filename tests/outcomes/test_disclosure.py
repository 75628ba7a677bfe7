"""Disclosure control: hand-computed cases and the property that nothing withheld can be recomputed."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core.outcomes import compute_report
from insertion_core.outcomes.disclosure import RelationKeys, Table, audit, protect
from tests import strategies as shared

from .builders import GENERATED_AT, day, journey, programme
from .published import figures, recoverable

AS_OF = day("2025-12-31")


def _mature(n: int, destination: str, reason: str = "completed", start: int = 0) -> list:
    return [
        journey(f"{destination[:3]}{start + i:03d}", exit="2024-01-02", destination=destination, reason=reason)
        for i in range(n)
    ]  # fmt: skip


def test_small_cells_are_null_and_zero_is_shown():
    prog = programme(min_cell=11)
    js = _mature(20, "training") + _mature(3, "employment") + _mature(15, "job_search")
    data = compute_report(
        prog, js, AS_OF, sets=["key_figures"], generated_at=GENERATED_AT, audience="public"
    ).to_json_dict()
    employment = data["indicators"]["employment_rate"]
    assert employment == {
        "numerator": None,
        "denominator": 38,
        "value": None,
        "ci95": None,
        "suppressed": True,
        "status": {"numerator": "small", "denominator": "shown"},
    }
    indicators = data["indicators"]
    assert indicators["dropout_rate"]["numerator"] == 0
    assert indicators["dropout_rate"]["suppressed"] is False
    # employment (3) is small; remobilisation (23) = training + employment would give it
    # back, and withholding training (20 persons) is the cheapest way to stop that:
    # employment can then be anything from 0 to 23. The old cascading rules withheld
    # no_outcome, training and remobilisation (58 persons).
    assert indicators["training_rate"]["status"]["numerator"] == "withheld"
    assert indicators["remobilisation_rate"]["numerator"] == 23
    assert indicators["no_outcome_rate"]["numerator"] == 15
    assert data["population"]["mature"] == 38


def test_rate_with_small_complement_is_suppressed():
    prog = programme(min_cell=11)
    js = _mature(30, "training") + _mature(2, "employment", reason="dropout")
    data = compute_report(
        prog, js, AS_OF, sets=["key_figures"], generated_at=GENERATED_AT, audience="public"
    ).to_json_dict()
    assert data["indicators"]["training_rate"]["suppressed"] is True
    assert data["indicators"]["training_rate"]["denominator"] == 32
    # the share's denominator is the training count: withheld with it
    assert data["indicators"]["training_digital_share"]["denominator"] is None


def test_min_cell_zero_is_no_suppression():
    prog = programme(min_cell=0)
    js = _mature(1, "training")
    data = compute_report(prog, js, AS_OF, generated_at=GENERATED_AT).to_json_dict()
    assert data["indicators"]["training_rate"]["numerator"] == 1
    assert all(value is not None for value in figures(data).values())


def test_small_population_withholds_the_rate_denominators():
    prog = programme(min_cell=11)
    data = compute_report(
        prog, _mature(5, "training"), AS_OF, generated_at=GENERATED_AT, audience="public"
    ).to_json_dict()
    assert data["population"]["mature"] is None
    assert data["indicators"]["dropout_rate"]["denominator"] is None
    assert data["indicators"]["dropout_rate"]["suppressed"] is True


def test_small_gender_x_joins_unknown_then_the_cheapest_group_protects_it():
    prog = programme(min_cell=5)
    js = [
        *(journey(f"F{i}", gender="F", exit="2024-01-02") for i in range(20)),
        *(journey(f"M{i}", gender="M", exit="2024-01-02") for i in range(8)),
        *(journey(f"X{i}", gender="X", exit="2024-01-02") for i in range(2)),
    ]
    data = compute_report(
        prog,
        js,
        AS_OF,
        by=["gender"],
        sets=["key_figures"],
        generated_at=GENERATED_AT,
        audience="public",
    ).to_json_dict()
    selected = {g: v["population"]["selected"] for g, v in data["breakdowns"]["gender"].items()}
    # X (2) is merged into unknown (0), which is then small: M (8) is cheaper than F (20)
    assert selected == {"F": 20, "M": None, "unknown": None}
    assert data["merged"] == [{"dimension": "gender", "group": "X", "into": "unknown"}]
    assert data["population"]["selected"] == 30


def test_audit_finds_what_a_chain_of_sums_gives_back():
    a, b, c, d, e, f = (("", name) for name in "abcdef")
    values = {a: 20, b: 15, c: 5, d: 30, e: 15, f: 20}
    relations = (RelationKeys(a, (b, c)), RelationKeys(d, (b, e)), RelationKeys(f, (c, e)))
    table = Table(values, frozenset(values), relations)
    # c alone withheld: a − b gives it back
    assert [x.cell for x in audit(table, {c}, 11)] == [c]
    # b, c, e withheld: a = b + c, d = b + e, f = c + e pin all three (3 equations, 3 unknowns)
    assert [x.cell for x in audit(table, {b, c, e}, 11)] == [c]
    status = protect(table, 11)
    assert status[c] == "small"
    assert audit(table, [k for k, s in status.items() if s != "shown"], 11) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    min_cell=st.sampled_from([2, 3, 5, 11]),
    by=st.lists(st.sampled_from(["gender", "age_band", "qpv", "cohort"]), max_size=2, unique=True),
)
def test_no_withheld_figure_can_be_computed_back(data, min_cell, by):
    prog = data.draw(shared.programmes())
    population = data.draw(shared.populations(prog, max_size=25))
    as_of = data.draw(shared.dates(dt.date(2020, 1, 1), dt.date(2028, 1, 1)))
    document = compute_report(
        prog,
        population,
        as_of,
        min_cell=min_cell,
        by=by,
        generated_at=GENERATED_AT,
        audience="public",
    ).to_json_dict()
    positive = tuple(f for f in ("training", "employment") if f in prog.outcomes.positive) + tuple(
        f for f in prog.outcomes.positive if f not in ("training", "employment")
    )
    assert recoverable(document, positive) == []
    for var, value in figures(document).items():
        assert value is None or value == 0 or value >= min_cell, var
    _check_rates(document, min_cell)


def _check_rates(document, min_cell):
    groups = [document] + [g for d in document["breakdowns"].values() for g in d.values()]
    for group in groups:
        for body in group["indicators"].values():
            if "count" in body:
                continue
            if body["suppressed"]:
                # a zero numerator stays shown: zeros are never withheld
                assert body["numerator"] is None or body["denominator"] is None
                assert body["value"] is None and body["ci95"] is None
            else:
                n, d = body["numerator"], body["denominator"]
                assert n is not None and d is not None
                assert not 0 < d - n < min_cell
