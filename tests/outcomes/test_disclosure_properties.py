"""Disclosure control on generated tiny sites: docs/indicators.md, Disclosure control and Versioning.

Every property reads the public report as an outsider would (tests/outcomes/
attacker.py), except the optimiser's, which compares :func:`protect` with a
greedy choice on the very table the engine protected.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st

from insertion_core.outcomes import compute_facts, compute_report, report_table
from insertion_core.outcomes.breakdowns import DIMENSIONS
from insertion_core.outcomes.disclosure import DisclosureError, Key, Table, audit, protect
from insertion_core.outcomes.selection import is_selected
from insertion_core.outcomes.sets import builtin_sets
from tests import strategies as shared

from .attacker import exact_values, hidden_cells, lp_intervals, merged_as_published, pinned
from .builders import GENERATED_AT, day, journey, programme
from .published import figures

K = 3


class _Auxiliary:
    """The attacker's hidden cells that state a relation (see attacker.hidden_cells)."""

    def __contains__(self, var: object) -> bool:
        return isinstance(var, tuple) and (
            var[1] == "leavers_assessed"
            or var[1:] in (("esf", "l4_waiting"), ("esf", "l6_waiting"), ("esf", "isced_unknown"))
        )


AUXILIARY = _Auxiliary()
SETS = ["key_figures", "esf_plus", "dynamic_exits", "followup"]
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@st.composite
def sites(draw: st.DrawFn, max_size: int = 8) -> tuple[Any, list[Any], dt.date]:
    """A programme, at most ``max_size`` journeys and an as_of after most of them."""
    prog = draw(shared.programmes())
    population = draw(shared.populations(prog, max_size=max_size))
    as_of = draw(shared.dates(dt.date(2017, 1, 1), dt.date(2028, 1, 1)))
    return prog, population, as_of


def _report(site: Any, audience: str, **options: Any) -> dict[str, Any]:
    prog, population, as_of = site
    options.setdefault("min_cell", K)
    try:
        return compute_report(
            prog, population, as_of, generated_at=GENERATED_AT, audience=audience, **options
        ).to_json_dict()
    except DisclosureError:
        # Known gap (test_a_breakdown_can_always_be_protected_given_the_headline): on some
        # tiny sites a breakdown cannot be protected given the published headline and no
        # report is written. Nothing to check then.
        reject()


def _positive(document: dict[str, Any]) -> tuple[str, ...]:
    return tuple(document["provenance"]["parameters"]["positive_families"])


def _true_values(site: Any, internal: dict[str, Any], public: dict[str, Any]) -> dict[Any, int]:
    """Every cell of the reader's model with its exact value, from the internal report and the facts."""
    values = exact_values(merged_as_published(figures(internal), public), public)
    prog, population, as_of = site
    selected = [
        f
        for f in (compute_facts(prog, j, as_of) for j in population)
        if f is not None and is_selected(f, internal["basis"], None, as_of)
    ]
    for var in hidden_cells(public):
        scope, _, part = var
        if var not in values:  # leavers by number of assessed check-ins
            values[var] = sum(
                1
                for f in selected
                if f.exited
                and sum(1 for c in f.checkins if c.assessed) == int(part)
                and _in_scope(f, scope, public)
            )
    return values


def _in_scope(facts: Any, scope: str, document: dict[str, Any]) -> bool:
    if not scope:
        return True
    dim, group = scope.split("=", 1)
    key = DIMENSIONS[dim].key(facts)
    merged = {m["group"]: m["into"] for m in document["merged"] if m["dimension"] == dim}
    return merged.get(key, key) == group


@FAST
@given(
    site=sites(),
    sets=st.lists(st.sampled_from(SETS), min_size=1, max_size=2, unique=True),
    by=st.lists(st.sampled_from(["gender", "qpv"]), max_size=1),
)
def test_an_independent_linear_attacker_never_narrows_a_small_cell_below_k(site, sets, by):
    public = _report(site, "public", sets=sets, by=by)
    internal = _report(site, "internal", sets=sets, by=by)
    truth = _true_values(site, internal, public)
    shown = figures(public)
    # Auxiliary cells (leavers not yet in an ESF+ base, without an education level, by
    # number of assessed check-ins) state relations the reader knows; they are
    # constraints of the attack, not counts the report protects (docs/indicators.md).
    small = [var for var, value in truth.items() if 0 < value < K and var not in AUXILIARY]
    for var in small:  # a small published figure is never shown
        assert shown.get(var) is None, var
    intervals = lp_intervals(public, _positive(public), small)
    for var, (low, high) in intervals.items():
        assert high - low >= K - 1e-6, (var, truth[var], low, high)


@FAST
@given(
    site=sites(),
    sets=st.sampled_from(SETS),
    by=st.lists(st.sampled_from(["gender", "qpv"]), max_size=1),
)
def test_a_brute_force_integer_attacker_never_pins_a_small_cell(site, sets, by):
    public = _report(site, "public", sets=[sets], by=by)
    found = pinned(public, _positive(public), K, labels=False)
    assert {var: value for var, value in found.items() if var not in AUXILIARY} == {}


@pytest.mark.xfail(
    strict=True,
    reason="labels leak: a small total whose non-zero parts are all small is pinned once "
    "the reader knows small means 1 to k-1 and zeros are shown (reported to the lead)",
)
def test_a_brute_force_attacker_knowing_the_labels_never_pins_a_small_cell():
    # the smallest case hypothesis found: two participants in programme, one F, one of
    # unknown gender, k = 3. selected, esf_participants and its F and unknown split are
    # labelled small, M and X are 0: F + unknown = selected ≤ 2 with F, unknown ≥ 1
    # gives F = unknown = 1 and selected = 2, though the linear audit passes.
    prog = programme(months=1, checkpoints=(1,), positive=("employment",), basis="entry")
    population = [journey("P0", entry="2016-01-01"), journey("P1", entry="2016-01-01", gender="F")]
    public = _report((prog, population, day("2017-01-01")), "public", sets=["esf_plus"])
    assert pinned(public, _positive(public), K, labels=True) == {}


@FAST
@given(site=sites(), sets=st.lists(st.sampled_from(SETS), min_size=1, max_size=2, unique=True))
def test_zeros_are_always_shown(site, sets):
    document = _report(site, "public", sets=sets, by=["gender"])
    public = figures(document)
    internal = merged_as_published(
        figures(_report(site, "internal", sets=sets, by=["gender"])), document
    )
    for var, value in internal.items():
        if value == 0 and var in public:
            assert public[var] == 0, var


HEADLINE = ("population", "population_status", "indicators", "merged")


@FAST
@given(
    site=sites(),
    sets=st.lists(st.sampled_from(SETS), min_size=1, max_size=2, unique=True),
    by=st.lists(
        st.sampled_from(["gender", "age_band", "qpv", "cohort"]),
        min_size=1,
        max_size=2,
        unique=True,
    ),
)
def test_the_headline_is_the_same_with_and_without_breakdowns(site, sets, by):
    alone = _report(site, "public", sets=sets)
    broken_down = _report(site, "public", sets=sets, by=by)
    for part in ("population", "population_status", "indicators"):
        assert broken_down[part] == alone[part], part
    headline = {k: v for k, v in alone["time_to_outcome"].items() if k != "breakdowns"}
    assert {
        k: v for k, v in broken_down["time_to_outcome"].items() if k != "breakdowns"
    } == headline


def _greedy(table: Table, k: int, fixed: dict[Key, bool]) -> set[Key] | None:
    """Withheld cells by the simple rule: the smallest shown cell next to an exposed one, until the audit passes."""
    withheld = {
        key
        for key in table.published
        if fixed.get(key) is True or (key not in fixed and 0 < table.values[key] < k)
    }
    while failures := audit(table, withheld, k):
        exposed = {failure.cell for failure in failures}
        near = {
            key
            for relation in table.relations
            if exposed & {cell for cell, _ in relation.terms()}
            for key, _ in relation.terms()
        }
        candidates = sorted(
            (table.values[key], key)
            for key in near
            if key in table.published
            and key not in withheld
            and key not in fixed
            and table.values[key] > 0
        )
        if not candidates:
            return None
        withheld.add(candidates[0][1])
    return withheld


@FAST
@given(
    site=sites(max_size=8),
    sets=st.lists(st.sampled_from(SETS), min_size=1, max_size=2, unique=True),
    by=st.lists(st.sampled_from(["gender", "qpv"]), max_size=1),
)
def test_the_optimiser_withholds_no_more_persons_than_a_greedy_choice(site, sets, by):
    calls: list[tuple[Table, int, dict[Key, bool], dict[Key, str]]] = []

    def recording(
        table: Table, k: int, fixed: Any = None, rounds: int | None = None
    ) -> dict[Key, Any]:
        status = protect(table, k, fixed, rounds)
        calls.append((table, k, dict(fixed or {}), dict(status)))  # the engine updates it
        return status

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_table, "protect", recording)
        _report(site, "public", sets=sets, by=by)
    for table, k, fixed, status in calls:
        greedy = _greedy(table, k, fixed)
        if greedy is None:
            continue  # the simple rule found no cell to withhold: nothing to compare
        optimal = {key for key, s in status.items() if s != "shown"}
        assert audit(table, optimal, k) == []
        persons = sum(table.values[key] for key in optimal)
        assert persons <= sum(table.values[key] for key in greedy), (
            sorted(optimal - greedy),
            sorted(greedy - optimal),
        )


def _fingerprint(**changes: Any) -> str:
    options: dict[str, Any] = {
        "basis": "exit",
        "start": dt.date(2024, 1, 1),
        "end": dt.date(2025, 6, 30),
        "as_of": dt.date(2025, 12, 31),
        "audience": "public",
        "min_cell": 11,
        "months": 6,
        "positive": ("employment", "training"),
        "checkpoints": (1, 3, 6),
        "version": "1",
    }
    options.update(changes)
    prog = programme(
        months=options.pop("months"),
        positive=options.pop("positive"),
        checkpoints=options.pop("checkpoints"),
    )
    registry = builtin_sets()
    registry["key_figures"] = attrs.evolve(
        registry["key_figures"], definitions_version=options.pop("version")
    )
    as_of = options.pop("as_of")
    report = compute_report(
        prog,
        [],
        as_of,
        sets=["key_figures"],
        indicator_sets=registry,
        generated_at=GENERATED_AT,
        **options,
    )
    return report.provenance.definitions_fingerprint


PARAMETERS = {
    "basis": ["entry"],
    "start": [dt.date(2024, 1, 2), None],
    "end": [dt.date(2025, 7, 1)],
    "as_of": [dt.date(2026, 1, 1)],
    "audience": ["internal"],
    "min_cell": [5],
    "months": [12],
    "positive": [("training", "employment"), ("employment", "training", "own_business")],
    "checkpoints": [(1, 6), (1, 3, 5)],
    "version": ["2"],
}


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, values in PARAMETERS.items() for value in values]
)
def test_changing_any_parameter_changes_the_fingerprint(name, value):
    assert _fingerprint(**{name: value}) != _fingerprint()


@FAST
@given(
    name=st.sampled_from(sorted(PARAMETERS)),
    data=st.data(),
)
def test_equal_parameters_give_equal_fingerprints_and_differ_otherwise(name, data):
    value = data.draw(st.sampled_from(PARAMETERS[name]))
    assert _fingerprint(**{name: value}) == _fingerprint(**{name: value})
    assert _fingerprint(**{name: value}) != _fingerprint()


def test_the_fingerprint_holds_exactly_the_comparability_parameters():
    report = compute_report(programme(), [], dt.date(2025, 12, 31), generated_at=GENERATED_AT)
    assert sorted(report.provenance.parameters) == sorted(
        [
            "basis",
            "period",
            "as_of",
            "followup_months",
            "positive_families",
            "checkpoints",
            "audience",
            "min_cell",
            "sets",
        ]
    )
    assert re.fullmatch(r"[0-9a-f]{16}", report.provenance.definitions_fingerprint)


def test_a_breakdown_that_cannot_be_protected_given_the_headline_is_not_published():
    # The smallest case found (hypothesis, then by hand): 3 participants of unknown
    # gender and 1 F in programme, 1 F mature; esf_plus by gender, k = 3. The headline,
    # protected alone, withholds selected (5) and shows in_programme (4) and the unknown
    # gender's count (3). In the breakdown the unknown group's zeros are shown, so its
    # in_programme is 3 and F's in_programme is 4 − 3 = 1: pinned whatever is withheld.
    # The breakdown is left out and said so; the headline is published as it is.
    prog = programme(months=1, checkpoints=(1,), positive=("employment",), basis="entry")
    population = [journey(f"U{i}", entry="2016-01-01") for i in range(3)]
    population += [
        journey("F0", entry="2016-01-01", gender="F"),
        journey("F1", entry="2016-01-02", gender="F", exit="2016-08-31", destination="employment"),
    ]
    document = compute_report(
        prog,
        population,
        day("2017-01-01"),
        sets=["esf_plus"],
        by=["gender"],
        min_cell=K,
        audience="public",
        generated_at=GENERATED_AT,
    ).to_json_dict()
    assert document["withheld_breakdowns"] == ["gender"]
    assert document["breakdowns"] == {}
    headline = compute_report(
        prog,
        population,
        day("2017-01-01"),
        sets=["esf_plus"],
        min_cell=K,
        audience="public",
        generated_at=GENERATED_AT,
    ).to_json_dict()
    assert document["indicators"] == headline["indicators"]
