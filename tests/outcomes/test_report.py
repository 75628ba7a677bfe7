"""The report: selection, population, JSON shape, provenance (hand-computed)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from insertion_core.errors import NotFoundError
from insertion_core.outcomes import compute_report, wilson

from .builders import GENERATED_AT, day, journey, programme

P = programme()
AS_OF = day("2025-06-30")


def _population():
    return [
        journey("A", entry="2024-01-02", exit="2024-06-30", contacts=(("2024-08-01", "training"),)),
        journey("B", entry="2024-01-02", exit="2024-07-01", reason="dropout"),
        journey("C", entry="2024-02-01", exit="2025-06-01"),  # pending on as_of
        journey("D", entry="2024-02-01", exit="2024-03-01", reason="neutralised"),
        journey("E", entry="2025-01-02"),  # in programme
        journey("F", entry="2025-01-02", exit="2025-07-01"),  # exit after as_of
        journey("G", entry="2025-07-01"),  # entry after as_of: does not exist
    ]


def test_population_on_entry_basis():
    report = compute_report(
        P, _population(), AS_OF, basis="entry", min_cell=0, generated_at=GENERATED_AT
    )
    assert report.to_json_dict()["population"] == {
        "selected": 6,
        "in_programme": 2,
        "pending": 1,
        "neutralised": 1,
        "mature": 2,
    }


def test_population_on_exit_basis_and_inclusive_period():
    report = compute_report(
        P, _population(), AS_OF, basis="exit", start=day("2024-03-01"), end=day("2024-06-30"),
        min_cell=0, generated_at=GENERATED_AT,
    )  # fmt: skip
    assert report.to_json_dict()["population"]["selected"] == 2  # D on start day, A on end day
    assert report.to_json_dict()["period"] == {"start": "2024-03-01", "end": "2024-06-30"}
    everything = compute_report(
        P, _population(), AS_OF, basis="exit", min_cell=0, generated_at=GENERATED_AT
    )
    assert everything.to_json_dict()["population"]["selected"] == 4  # F's exit is after as_of
    assert everything.to_json_dict()["period"] == {"start": "2024-03-01", "end": "2025-06-30"}


def test_key_figures_and_rate_shape():
    data = compute_report(
        P, _population(), AS_OF, min_cell=0, sets=["key_figures"], generated_at=GENERATED_AT
    ).to_json_dict()
    training = data["indicators"]["training_rate"]
    assert training == {
        "numerator": 1,
        "denominator": 2,
        "value": 0.5,
        "ci95": list(wilson(1, 2)),
        "suppressed": False,
        "status": {"numerator": "shown", "denominator": "shown"},
    }
    assert data["indicators"]["dropout_rate"]["numerator"] == 1
    assert data["indicators"]["employment_digital_share"] == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
        "ci95": [0.0, 1.0],
        "suppressed": False,
        "status": {"numerator": "shown", "denominator": "shown"},
    }
    assert set(data["provenance"]["definitions_version"]) == {"key_figures"}
    assert data["schema"] == "insertion-core/report/2"
    assert data["audience"] == "internal"
    assert data["breakdowns"] == {}


def test_extra_positive_family_gets_a_rate():
    prog = programme(
        positive=("employment", "training", "own_business"), families=("own_business",)
    )
    js = [journey("A", exit="2024-01-02", contacts=(("2024-02-01", "own_business"),))]
    data = compute_report(prog, js, AS_OF, min_cell=0, generated_at=GENERATED_AT).to_json_dict()
    assert data["indicators"]["own_business_rate"]["numerator"] == 1
    assert data["indicators"]["remobilisation_rate"]["numerator"] == 1


def test_esf_output_counts_split_by_gender():
    js = [
        journey("A", gender="F", birth="2008-01-01"),
        journey("B", gender="M", birth="2000-01-01"),
        journey("C"),
    ]
    data = compute_report(
        P, js, AS_OF, min_cell=0, basis="entry", generated_at=GENERATED_AT
    ).to_json_dict()
    participants = data["indicators"]["esf_participants"]
    assert participants["count"] == 3
    assert participants["by_gender"] == {"F": 1, "M": 1, "X": 0, "unknown": 1}
    assert participants["status"]["by_gender"] == dict.fromkeys(("F", "M", "X", "unknown"), "shown")
    assert data["indicators"]["esf_under_18"]["by_gender"]["F"] == 1
    assert data["indicators"]["esf_age_18_29"]["count"] == 1


def test_provenance_and_determinism_outside_it():
    at = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    one = compute_report(P, _population(), AS_OF, generated_at=at).to_json_dict()
    two = compute_report(
        P, list(reversed(_population())), AS_OF, generated_at=GENERATED_AT
    ).to_json_dict()
    assert one["provenance"]["generated_at"] == "2025-07-01T00:00:00+00:00"
    assert one["provenance"]["data_sha256"] == two["provenance"]["data_sha256"]
    del one["provenance"], two["provenance"]
    assert one == two
    changed = [*_population(), journey("H", entry="2025-01-03")]
    three = compute_report(
        P, changed, AS_OF, basis="entry", generated_at=GENERATED_AT
    ).to_json_dict()
    four = compute_report(
        P, _population(), AS_OF, basis="entry", generated_at=GENERATED_AT
    ).to_json_dict()
    assert three["provenance"]["data_sha256"] != four["provenance"]["data_sha256"]
    assert len(bytes.fromhex(three["provenance"]["data_sha256"])) == hashlib.sha256().digest_size


def test_breakdown_groups_add_up_to_the_whole():
    js = [journey(f"P{i}", gender=("F", "M", None)[i % 3], exit="2024-01-02") for i in range(9)]
    data = compute_report(
        P, js, AS_OF, min_cell=0, by=["gender", "cohort"], generated_at=GENERATED_AT
    ).to_json_dict()
    groups = data["breakdowns"]["gender"]
    assert list(groups) == ["F", "M", "X", "unknown"]
    assert [g["population"]["selected"] for g in groups.values()] == [3, 3, 0, 3]
    assert list(data["breakdowns"]["cohort"]) == ["C1"]


def test_unknown_set_or_breakdown_is_named():
    with pytest.raises(NotFoundError, match="nope"):
        compute_report(P, [], AS_OF, sets=["nope"], generated_at=GENERATED_AT)
    with pytest.raises(NotFoundError, match="colour"):
        compute_report(P, [], AS_OF, by=["colour"], generated_at=GENERATED_AT)


def test_wilson_interval():
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(180, 200)
    assert (low, high) == pytest.approx((0.8505942, 0.9343296), abs=1e-7)
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == 1.0
    assert all(0.0 <= x <= 1.0 for n in range(1, 30) for k in range(n + 1) for x in wilson(k, n))
    with pytest.raises(ValueError):
        wilson(3, 2)
