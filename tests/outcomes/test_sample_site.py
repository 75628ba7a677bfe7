"""The shared sample site's independently counted figures, reproduced exactly."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from insertion_core.outcomes import compute_report, due_checkins

from .builders import GENERATED_AT
from .sample_site import expected, load_sample_site

AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    return load_sample_site()


def _report(site, basis, **options):  # type: ignore[no-untyped-def]
    """The report of the README's command line on the sample site, as JSON."""
    programme, journeys = site
    return compute_report(
        programme,
        journeys,
        AS_OF,
        basis=basis,
        start=dt.date(2021, 1, 1),
        end=dt.date(2026, 12, 31),
        min_cell=0,
        generated_at=GENERATED_AT,
        **options,
    ).to_json_dict()


@pytest.mark.parametrize("basis", ["entry", "exit"])
def test_report_reproduces_the_expected_figures(site, basis):  # type: ignore[no-untyped-def]
    report = _report(site, basis)
    want = expected(f"expected-report-{basis}.json")
    assert report["basis"] == want["basis"]
    assert report["population"] == want["population"]
    for indicator_id, rate in want["indicators"].items():
        got = report["indicators"][indicator_id]
        assert got["numerator"] == rate["numerator"], indicator_id
        assert got["denominator"] == rate["denominator"], indicator_id
        assert got["value"] == pytest.approx(rate["value"], abs=1e-12), indicator_id
        for ours, theirs in zip(got["ci95"], rate["ci95"], strict=True):
            assert math.isclose(ours, theirs, abs_tol=1e-12), indicator_id
        assert got["suppressed"] is False


def test_report_from_facts_equals_report_from_journeys(site):  # type: ignore[no-untyped-def]
    from insertion_core.outcomes import iter_facts

    programme, journeys = site
    at = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    from_journeys = compute_report(programme, journeys, AS_OF, by=("gender",), generated_at=at)
    facts = list(iter_facts(programme, journeys, AS_OF))
    from_facts = compute_report(programme, iter(facts), AS_OF, by=("gender",), generated_at=at)
    assert from_facts.to_json_dict() == from_journeys.to_json_dict()


def test_due_checkins_reproduce_the_expected_list(site):  # type: ignore[no-untyped-def]
    programme, journeys = site
    got = [item.to_json_dict() for item in due_checkins(programme, journeys, dt.date(2026, 9, 15))]
    assert got == expected("expected-due-2026-09-15.json")


@pytest.mark.parametrize("basis", ["entry", "exit"])
def test_time_to_outcome_and_years_reproduce_the_expected_figures(site, basis):  # type: ignore[no-untyped-def]
    """expected-time-and-years.json: Kaplan–Meier over leavers, and each year's figures."""
    report = _report(site, basis, by=("year",))
    want = expected("expected-time-and-years.json")[basis]

    time = report["time_to_outcome"]
    wanted = want["time_to_outcome"]
    assert time["leavers"] == wanted["leavers"]
    assert time["events"] == wanted["events"]
    assert time["median_days"] == wanted["median_days"]
    for day, share in wanted["share_positive_by_day"].items():
        assert time["share_positive_by_day"][day]["share"] == pytest.approx(share, abs=1e-12), day

    years = report["breakdowns"]["year"]
    assert sorted(years) == sorted(want["by_year"])
    for year, figures in want["by_year"].items():
        assert years[year]["population"] == figures["population"], year
        for indicator_id, rate in figures["indicators"].items():
            got = years[year]["indicators"][indicator_id]
            assert got["numerator"] == rate["numerator"], (year, indicator_id)
            assert got["denominator"] == rate["denominator"], (year, indicator_id)
            if rate["value"] is None:
                assert got["value"] is None
            else:
                assert got["value"] == pytest.approx(rate["value"], abs=1e-12)
