"""``--by year``: each year is the report of that year, and the trend table follows the years."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core.errors import NotFoundError
from insertion_core.outcomes import compute_report
from tests import strategies as shared

from . import builders as b

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw):
    prog = draw(shared.programmes())
    as_of = draw(shared.dates(dt.date(2017, 1, 1), dt.date(2028, 6, 1)))
    start = draw(st.none() | shared.dates(dt.date(2016, 1, 1), as_of))
    end = draw(shared.dates(start or dt.date(2016, 1, 1), as_of))
    return prog, draw(shared.populations(prog, max_size=20)), as_of, start, end


def _figures(report):
    data = report.to_json_dict()
    return {"population": data["population"], "indicators": data["indicators"]}


@SETTINGS
@given(cases(), st.sampled_from(["entry", "exit"]))
def test_a_year_is_the_report_of_that_year_clipped_to_the_period(case, basis):
    prog, journeys, as_of, start, end = case
    options = {"basis": basis, "min_cell": 0, "generated_at": b.GENERATED_AT}
    report = compute_report(prog, journeys, as_of, start=start, end=end, by=("year",), **options)
    years = report.breakdowns.get("year", {})
    assert (
        sum(group.population["selected"] for group in years.values())
        == (report.population["selected"])
    )
    for year, group in years.items():
        first = dt.date(int(year), 1, 1) if start is None else max(start, dt.date(int(year), 1, 1))
        last = min(end, dt.date(int(year), 12, 31))
        alone = compute_report(prog, journeys, as_of, start=first, end=last, **options)
        assert group.to_json_dict() == {
            "population": _figures(alone)["population"],
            "population_status": alone.to_json_dict()["population_status"],
            "indicators": _figures(alone)["indicators"],
        }


def _journeys():
    """Two leavers in 2023 (one employed, one not), one in 2024 (employed), none in 2025."""
    return [
        b.journey("P1", exit="2023-03-01", destination="employment"),
        b.journey("P2", exit="2023-05-01", destination="job_search"),
        b.journey("P3", exit="2024-02-01", destination="employment"),
    ]


def test_trends_give_each_rate_per_year_and_the_change_in_points():
    report = compute_report(
        b.programme(),
        _journeys(),
        b.day("2025-06-30"),
        basis="exit",
        by=("year",),
        generated_at=b.GENERATED_AT,
    )
    assert list(report.breakdowns["year"]) == ["2023", "2024"]
    trend = report.to_json_dict()["trends"]["remobilisation_rate"]
    assert trend["2023"]["value"] == 0.5 and trend["2023"]["change_pp"] is None
    assert trend["2024"]["value"] == 1.0
    assert trend["2024"]["change_pp"] == pytest.approx(50.0)
    assert trend["2024"]["ci95"] == list(
        report.breakdowns["year"]["2024"].indicators["remobilisation_rate"].ci95
    )
    assert "exits" not in report.to_json_dict()["trends"]  # counts have no trend row


def test_a_null_year_gives_no_change():
    """2024's and 2025's leavers are still pending on as_of: null rates give null changes."""
    journeys = [*_journeys()[:2], b.journey("P3", exit="2025-01-10", destination="employment")]
    journeys.append(b.journey("P4", exit="2024-12-20", destination="employment"))
    report = compute_report(
        b.programme(),
        journeys,
        b.day("2025-06-15"),
        basis="exit",
        by=("year",),
        generated_at=b.GENERATED_AT,
    )
    trend = report.to_json_dict()["trends"]["remobilisation_rate"]
    assert trend["2023"]["value"] == 0.5
    assert trend["2025"]["value"] is None and trend["2025"]["change_pp"] is None
    assert trend["2024"]["value"] is None and trend["2024"]["change_pp"] is None


def test_the_year_is_the_entry_year_on_the_entry_basis():
    journeys = [
        b.journey("P1", entry="2022-11-02", exit="2023-03-01", destination="employment"),
        b.journey("P2", entry="2023-01-05", exit="2023-05-01", destination="job_search"),
    ]
    report = compute_report(
        b.programme(basis="entry"),
        journeys,
        b.day("2025-06-30"),
        by=("year",),
        generated_at=b.GENERATED_AT,
    )
    assert {year: g.population["selected"] for year, g in report.breakdowns["year"].items()} == {
        "2022": 1,
        "2023": 1,
    }
    assert (
        compute_report(
            b.programme(), journeys, b.day("2025-06-30"), generated_at=b.GENERATED_AT
        ).trends
        == {}
    )


def test_an_unknown_breakdown_lists_year():
    with pytest.raises(NotFoundError) as caught:
        compute_report(
            b.programme(), [], b.day("2025-06-30"), by=("years",), generated_at=b.GENERATED_AT
        )
    assert str(caught.value) == (
        "unknown breakdown 'years' (known breakdowns: gender, age_band, education, qpv, "
        "cohort, year)"
    )
