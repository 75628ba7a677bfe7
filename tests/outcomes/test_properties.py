"""Property tests of every invariant docs/indicators.md lists, on generated programmes and journeys."""

from __future__ import annotations

import datetime as dt
import random

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from insertion_core.domain.calendar import add_months
from insertion_core.domain.model import FollowUpContact
from insertion_core.domain.situations import Situation
from insertion_core.outcomes import compute_report, iter_facts
from insertion_core.outcomes.sets.key_figures import positive_classes
from tests import strategies as shared
from tests.outcomes.builders import GENERATED_AT

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
as_of_dates = shared.dates(dt.date(2016, 6, 1), dt.date(2028, 6, 1))


@st.composite
def cases(draw):
    prog = draw(shared.programmes())
    return prog, draw(shared.populations(prog, max_size=25)), draw(as_of_dates)


def _report(prog, journeys, as_of, **options):
    options.setdefault("min_cell", 0)
    data = compute_report(
        prog, journeys, as_of, **options, generated_at=GENERATED_AT
    ).to_json_dict()
    del data["provenance"]
    return data


def _key_counts(data, prog):
    ind = data["indicators"]
    return {k: (v["numerator"], v["denominator"]) for k, v in ind.items() if "numerator" in v}


@SETTINGS
@given(cases(), st.sampled_from(["entry", "exit"]))
def test_partitions_and_numerators_within_denominators(case, basis):
    prog, journeys, as_of = case
    data = _report(prog, journeys, as_of, basis=basis)
    pop = data["population"]
    parts = ("in_programme", "neutralised", "pending", "mature")
    assert sum(pop[k] for k in parts) == pop["selected"]
    if basis == "exit":
        assert pop["in_programme"] == 0
    ind = data["indicators"]
    classes = [f"{f}_rate" for f in positive_classes(prog)]
    total = ind["dropout_rate"]["numerator"] + ind["no_outcome_rate"]["numerator"]
    assert total + sum(ind[c]["numerator"] for c in classes) == pop["mature"]
    assert ind["remobilisation_rate"]["numerator"] == sum(ind[c]["numerator"] for c in classes)
    dynamic = sum(
        ind[k]["numerator"]
        for k in ("durable_employment_rate", "transition_employment_rate", "positive_exit_rate")
    )
    assert ind["dynamic_exit_rate"]["numerator"] == dynamic
    assert ind["dynamic_exit_rate"]["denominator"] == pop["pending"] + pop["mature"]
    for key, body in ind.items():
        if "numerator" in body:
            assert 0 <= body["numerator"] <= body["denominator"], key
            if body["denominator"]:
                low, high = body["ci95"]
                assert 0.0 <= low <= body["value"] <= high <= 1.0, key
            else:
                assert body["value"] is None and body["ci95"] == [0.0, 1.0]
        else:
            assert body["count"] == sum(body["by_gender"].values()), key
            assert body["count"] <= pop["selected"]


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_order_of_rows_and_participants_changes_nothing(case, rnd):
    prog, journeys, as_of = case
    shuffled = [
        attrs.evolve(j, contacts=tuple(rnd.sample(j.contacts, len(j.contacts)))) for j in journeys
    ]
    rnd.shuffle(shuffled)
    for basis in ("entry", "exit"):
        one = compute_report(
            prog, journeys, as_of, basis=basis, by=["gender", "cohort"], generated_at=GENERATED_AT
        )
        two = compute_report(
            prog, shuffled, as_of, basis=basis, by=["gender", "cohort"], generated_at=GENERATED_AT
        )
        a, b = one.to_json_dict(), two.to_json_dict()
        assert a["provenance"]["data_sha256"] == b["provenance"]["data_sha256"]
        del a["provenance"], b["provenance"]
        assert a == b


def _flatten(data):
    """Every count of a min_cell 0 report, by path."""
    found = {f"population.{k}": v for k, v in data["population"].items()}
    for key, body in data["indicators"].items():
        if "numerator" in body:
            found[f"{key}.numerator"] = body["numerator"]
            found[f"{key}.denominator"] = body["denominator"]
        else:
            found[f"{key}.count"] = body["count"]
            found.update({f"{key}.{g}": v for g, v in body["by_gender"].items()})
    return found


@SETTINGS
@given(cases(), st.data())
def test_counts_of_a_split_population_add_up(case, data):
    prog, journeys, as_of = case
    cut = data.draw(st.integers(0, len(journeys)))
    whole = _flatten(_report(prog, journeys, as_of))
    left = _flatten(_report(prog, journeys[:cut], as_of))
    right = _flatten(_report(prog, journeys[cut:], as_of))
    assert whole == {key: left[key] + right[key] for key in whole}


@SETTINGS
@given(cases(), st.data())
def test_observations_after_as_of_change_nothing(case, data):
    prog, journeys, as_of = case
    assume(journeys)
    changed = []
    for j in journeys:
        later = max(as_of, j.exit.exit_date if j.exit else as_of) + dt.timedelta(days=1)
        situation = data.draw(shared.situations(prog))
        contact = FollowUpContact(data.draw(shared.days_after(later, 200)), situation)
        changed.append(attrs.evolve(j, contacts=(*j.contacts, contact)) if j.exit else j)
    for basis in ("entry", "exit"):
        assert _report(prog, changed, as_of, basis=basis) == _report(
            prog, journeys, as_of, basis=basis
        )


@SETTINGS
@given(cases(), st.data())
def test_observations_outside_the_window_change_no_key_figure(case, data):
    prog, journeys, as_of = case
    exited = [j for j in journeys if j.exit]
    assume(exited)
    changed = []
    for j in journeys:
        if j.exit is None:
            changed.append(j)
            continue
        end = add_months(j.exit.exit_date, prog.followup.months)
        day = data.draw(shared.days_after(end + dt.timedelta(days=1), 400))
        family = data.draw(st.sampled_from([*prog.outcomes.positive, "job_search"]))
        contact = FollowUpContact(day, Situation(family))
        changed.append(attrs.evolve(j, contacts=(*j.contacts, contact)))
    before = _key_counts(_report(prog, journeys, as_of, sets=["key_figures"]), prog)
    after = _key_counts(_report(prog, changed, as_of, sets=["key_figures"]), prog)
    assert before == after


@SETTINGS
@given(cases())
def test_facts_stream_gives_the_report_of_the_journeys(case):
    prog, journeys, as_of = case
    facts = iter_facts(prog, journeys, as_of)
    assert _report(prog, facts, as_of, by=["age_band", "education", "qpv"]) == _report(
        prog, journeys, as_of, by=["age_band", "education", "qpv"]
    )


@SETTINGS
@given(cases(), st.integers(0, 2**32))
def test_breakdown_groups_add_up_to_the_whole(case, seed):
    prog, journeys, as_of = case
    dim = random.Random(seed).choice(["gender", "age_band", "education", "qpv", "cohort"])
    data = _report(prog, journeys, as_of, by=[dim])
    whole = _flatten(data)
    groups = [
        _flatten({"population": g["population"], "indicators": g["indicators"]})
        for g in data["breakdowns"][dim].values()
    ]
    assert whole == {key: sum(g[key] for g in groups) for key in whole}
