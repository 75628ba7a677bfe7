"""Time to first positive outcome: Kaplan–Meier against lifelines, and the properties of docs/indicators.md."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter

from insertion_core.domain.calendar import add_months
from insertion_core.outcomes import compute_report, iter_facts, kaplan_meier
from insertion_core.outcomes.time_to_outcome import leaver_time
from tests import strategies as shared

from . import builders as b

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Leavers as (t, event) pairs: few distinct days so that ties are common.
leavers = st.lists(st.tuples(st.integers(0, 200), st.booleans()), min_size=1, max_size=60)


def _estimate(pairs):
    return kaplan_meier(Counter(pairs))


@SETTINGS
@given(leavers)
# (1 - 2/10)(1 - 2/8)(1 - 1/6) is one half exactly, 0.4999999999999999 in floating point.
@example([(0, True)] * 2 + [(1, True)] * 2 + [(2, False)] * 5 + [(2, True)])
def test_equals_lifelines_kaplan_meier(pairs):
    found = _estimate(pairs)
    fitter = KaplanMeierFitter().fit([t for t, _ in pairs], [e for _, e in pairs])
    survival = fitter.survival_function_["KM_estimate"]
    bounds = fitter.confidence_interval_survival_function_
    table = fitter.event_table
    assert found.leavers == len(pairs)
    assert found.events == sum(e for _, e in pairs)
    for point in found.curve:
        assert point.at_risk == table.loc[point.day, "at_risk"]
        assert point.events == table.loc[point.day, "observed"]
        assert point.share == pytest.approx(1 - survival.loc[point.day], abs=1e-12)
        if 0 < survival.loc[point.day] < 1:
            low = 1 - bounds.loc[point.day, "KM_estimate_upper_0.95"]
            high = 1 - bounds.loc[point.day, "KM_estimate_lower_0.95"]
            assert point.ci95 == pytest.approx((low, high), abs=1e-9)
    # The median read off lifelines' own curve: F ≥ 0.5 (lifelines' median_survival_time_
    # leaves out a curve that reaches exactly 0.5, which the definition counts).
    reached = survival[survival <= 0.5 + 1e-12]
    assert found.median_days == (int(reached.index[0]) if len(reached) else None)
    for day, share in found.by_day.items():
        assert share.share == pytest.approx(1 - fitter.predict(day), abs=1e-12)
        assert share.at_risk == sum(1 for t, _ in pairs if t >= day)


@SETTINGS
@given(leavers)
def test_share_is_non_decreasing_within_zero_and_one(pairs):
    curve = _estimate(pairs).curve
    shares = [p.share for p in curve]
    assert shares == sorted(shares)
    for point in curve:
        assert 0 <= point.ci95[0] <= point.share <= point.ci95[1] <= 1


@SETTINGS
@given(leavers)
def test_the_counts_of_the_curve_account_for_every_leaver(pairs):
    found = _estimate(pairs)
    gone = found.censored_before_first + sum(p.events + p.censored for p in found.curve)
    assert gone == found.leavers
    for before, after in zip(found.curve, found.curve[1:], strict=False):
        assert after.at_risk == before.at_risk - before.events - before.censored


@SETTINGS
@given(leavers, st.integers(1, 50), st.integers(1, 50))
def test_a_leaver_censored_after_the_last_event_changes_no_share_wherever_censored(
    pairs, one, other
):
    """Censored at any time after the last event: the same F everywhere.

    (Adding a new leaver is not the property: they are at risk at every event
    time before their censoring, so every n_j grows and F moves, as in lifelines.)
    """
    last = max((t for t, e in pairs if e), default=0)
    found = _estimate([*pairs, (last + one, False)])
    moved = _estimate([*pairs, (last + other, False)])
    assert [(p.day, p.share, p.ci95) for p in moved.curve] == [
        (p.day, p.share, p.ci95) for p in found.curve
    ]
    assert {d: s.share for d, s in moved.by_day.items()} == {
        d: s.share for d, s in found.by_day.items()
    }


def test_no_leaver_and_no_event():
    empty = kaplan_meier(Counter())
    assert (empty.leavers, empty.curve, empty.median_days) == (0, (), None)
    assert empty.by_day[30].share == 0.0 and empty.by_day[30].ci95 == (0.0, 0.0)
    censored = _estimate([(10, False), (40, False)])
    assert censored.curve == () and censored.by_day[30].at_risk == 1


def test_everyone_with_an_event_gives_an_interval_of_one():
    found = _estimate([(0, True), (5, True)])
    assert found.curve[-1].share == 1.0 and found.curve[-1].ci95 == (1.0, 1.0)
    assert found.median_days == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared.programmes().flatmap(lambda p: st.tuples(st.just(p), shared.populations(p))))
def test_with_closed_equal_windows_the_share_is_the_remobilisation_rate(case):
    """All windows closed and of one length D: F(D) = remobilisation_rate over the same leavers."""
    prog, journeys = case
    as_of = dt.date(2030, 1, 1)
    facts = list(iter_facts(prog, journeys, as_of))
    spans = Counter(
        (add_months(f.exit_date, prog.followup.months) - f.exit_date).days
        for f in facts
        if f.exited and f.exit_date is not None
    )
    if not spans:
        return
    span = spans.most_common(1)[0][0]
    kept = [
        f
        for f in facts
        if f.exit_date is not None
        and (add_months(f.exit_date, prog.followup.months) - f.exit_date).days == span
    ]
    report = compute_report(
        prog,
        kept,
        as_of,
        basis="exit",
        sets=("key_figures",),
        min_cell=0,
        generated_at=b.GENERATED_AT,
    )
    rate = report.indicators["remobilisation_rate"]
    assert report.time_to_outcome is not None
    share, _ = report.time_to_outcome.whole.share_on(span)
    assert report.time_to_outcome.whole.leavers == rate.denominator
    assert share == pytest.approx(rate.value if rate.value is not None else 0.0, abs=1e-12)


def test_leaver_time_rules():
    """Events at the outcome's day; dropouts and open windows censored at min(window end, as_of)."""
    prog = b.programme(months=6)
    cases = [
        (b.journey(exit="2024-03-01", destination="employment"), "2025-01-01", (0, True)),
        (
            b.journey(exit="2024-03-01", contacts=(("2024-03-31", "training"),)),
            "2025-01-01",
            (30, True),
        ),
        (
            b.journey(exit="2024-03-01", contacts=(("2024-03-31", "training"),)),
            "2024-03-20",
            (19, False),
        ),
        (
            b.journey(exit="2024-03-01", contacts=(("2024-09-02", "training"),)),
            "2025-01-01",
            (184, False),
        ),
        (
            b.journey(exit="2024-03-01", reason="dropout", destination="employment"),
            "2025-01-01",
            (184, False),
        ),
    ]
    for journey, as_of, want in cases:
        assert leaver_time(b.facts(prog, journey, as_of), 6, b.day(as_of)) == want
    neutralised = b.journey(exit="2024-03-01", reason="neutralised", destination="employment")
    assert leaver_time(b.facts(prog, neutralised, "2025-01-01"), 6, b.day("2025-01-01")) is None
    staying = b.journey()
    assert leaver_time(b.facts(prog, staying, "2025-01-01"), 6, b.day("2025-01-01")) is None
