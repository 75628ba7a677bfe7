"""Targets beside their figures: gap, met and where the 95 % interval lies."""

from __future__ import annotations

import attrs
import pytest

from insertion_core.domain.targets import Target
from insertion_core.outcomes import MASKED, Rate, Tally, compute_report, target_results, wilson

from . import builders as b


def _rate(numerator: int, denominator: int) -> Rate:
    return Rate(
        numerator, denominator, numerator / denominator, wilson(numerator, denominator), False
    )


def test_gap_met_and_position():
    indicators = {
        "remobilisation_rate": _rate(90, 100),  # interval ~[0.82, 0.94]
        "dropout_rate": _rate(5, 100),  # interval ~[0.02, 0.11]
        "training_rate": _rate(1, 2),
        "employment_rate": Rate(MASKED, 10, None, None, True),
        "exits": Tally(40, {}),
    }
    targets = (
        Target("remobilisation_rate", 0.80),
        Target("dropout_rate", 0.12, "at_most"),
        Target("training_rate", 0.6),
        Target("employment_rate", 0.3),
        Target("exits", 50),
        Target("not_in_this_report", 0.5),
    )
    found = {k: v.to_json_dict() for k, v in target_results(targets, indicators).items()}
    assert list(found) == [
        "remobilisation_rate",
        "dropout_rate",
        "training_rate",
        "employment_rate",
        "exits",
    ]
    assert found["remobilisation_rate"] == {
        "target": 0.8,
        "direction": "at_least",
        "gap": pytest.approx(0.1),
        "met": True,
        "position": "above",
    }
    assert found["dropout_rate"]["met"] is True
    assert found["dropout_rate"]["position"] == "below"
    assert found["dropout_rate"]["gap"] == pytest.approx(-0.07)
    assert found["training_rate"]["met"] is False
    assert found["training_rate"]["position"] == "around"
    assert found["employment_rate"] == {
        "target": 0.3,
        "direction": "at_least",
        "gap": None,
        "met": None,
        "position": None,
    }
    assert found["exits"] == {
        "target": 50,
        "direction": "at_least",
        "gap": -10,
        "met": False,
        "position": None,
    }


def test_the_report_carries_the_programme_targets():
    prog = attrs.evolve(
        b.programme(),
        targets=(Target("remobilisation_rate", 0.85), Target("dropout_rate", 0.1, "at_most")),
    )
    journeys = [
        b.journey("P1", exit="2023-03-01", destination="employment"),
        b.journey("P2", exit="2023-05-01", reason="dropout", destination="job_search"),
    ]
    data = compute_report(
        prog, journeys, b.day("2025-06-30"), generated_at=b.GENERATED_AT
    ).to_json_dict()
    assert data["targets"]["remobilisation_rate"]["gap"] == pytest.approx(0.5 - 0.85)
    assert data["targets"]["remobilisation_rate"]["met"] is False
    assert data["targets"]["dropout_rate"]["met"] is False
    assert data["targets"]["dropout_rate"]["position"] == "around"
