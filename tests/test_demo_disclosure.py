"""The Gonesse demo's two audiences on the command line (docs/indicators.md, Disclosure control).

The internal report shows every figure exactly; the public one still shows the
key figures, the ESF+ result rates and the IAE section (dynamic exits), and an
independent linear attacker (tests/outcomes/attacker.py) cannot narrow any
small cell to less than k persons.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from insertion_core.testing import InsertionCli

from .outcomes.attacker import exact_values, lp_intervals, merged_as_published
from .outcomes.published import figures

GONESSE = Path(__file__).resolve().parents[1] / "examples" / "gonesse"
sys.path.insert(0, str(GONESSE))

from generate import AS_OF, write  # noqa: E402

REPORT = ["report", "--programme", "gonesse", "--as-of", AS_OF.isoformat(), "--format", "json"]
KEY_FIGURES = ("remobilisation_rate", "training_rate", "employment_rate", "dropout_rate")
ESF_RESULTS = (
    "esf_job_searching_upon_leaving",
    "esf_education_training_upon_leaving",
    "esf_employment_upon_leaving",
    "esf_employment_six_months",
)
IAE = (
    "durable_employment_rate",
    "transition_employment_rate",
    "positive_exit_rate",
    "dynamic_exit_rate",
)
#: The IAE rates shown whatever protects the one small cell of the section.
IAE_SHOWN = ("positive_exit_rate", "dynamic_exit_rate")


def _load(cli: InsertionCli, tmp_path: Path, audience: str | None = None) -> InsertionCli:
    text = (GONESSE / "programme.toml").read_text(encoding="utf-8")
    if audience is not None:
        text = text.replace("[reporting]\n", f'[reporting]\naudience = "{audience}"\n')
    programme = tmp_path / "programme.toml"
    programme.write_text(text, encoding="utf-8")
    write(tmp_path / "data")
    cli("programme", "load", str(programme))
    cli("import", "--programme", "gonesse", str(tmp_path / "data"))
    return cli


def _report(cli: InsertionCli, *options: str) -> dict[str, Any]:
    return json.loads(cli(*REPORT, *options).stdout)


def _statuses(document: dict[str, Any]) -> set[str]:
    found = set(document["population_status"].values())
    for body in document["indicators"].values():
        status = body["status"]
        found |= {v for v in status.values() if isinstance(v, str)}
        found |= set(status.get("by_gender", {}).values())
    return found


def test_the_internal_report_shows_every_figure_exactly(
    insertion_cli: InsertionCli, tmp_path: Path
) -> None:
    cli = _load(insertion_cli, tmp_path)
    document = _report(cli)  # the programme sets no audience: internal
    assert (document["audience"], document["min_cell"]) == ("internal", 0)
    assert document["population"] == {
        "selected": 229,
        "in_programme": 14,
        "pending": 12,
        "neutralised": 3,
        "mature": 200,
    }
    assert all(value is not None for value in figures(document).values())
    assert _statuses(document) == {"shown"}
    assert document["indicators"]["dropout_rate"]["numerator"] == 20
    # --min-cell 0 keeps giving the exact figures, even when public is asked for
    exact = _report(cli, "--audience", "public", "--min-cell", "0")
    assert exact["audience"] == "internal"
    assert exact["population"] == document["population"]
    assert exact["indicators"] == document["indicators"]


WITHOUT_FOLLOWUP = ("--set", "key_figures,esf_plus,dynamic_exits")


@pytest.mark.parametrize(
    "sets",
    [
        pytest.param(WITHOUT_FOLLOWUP, id="key-esf-iae"),
        pytest.param(
            (),
            id="every-set",
        ),
    ],
)
def test_the_public_report_shows_the_key_esf_and_iae_figures_and_passes_the_audit(
    insertion_cli: InsertionCli, tmp_path: Path, sets: tuple[str, ...]
) -> None:
    cli = _load(insertion_cli, tmp_path)
    public = _report(cli, "--audience", "public", *sets)
    assert (public["audience"], public["min_cell"]) == ("public", 11)
    indicators = public["indicators"]
    for name in (*KEY_FIGURES, *ESF_RESULTS, *IAE_SHOWN):
        assert indicators[name]["value"] is not None, name
        assert indicators[name]["status"] == {"numerator": "shown", "denominator": "shown"}, name
    # the IAE section has one small cell (7 transition exits): it and one other are withheld
    iae = sorted(indicators[name]["status"]["numerator"] for name in IAE)
    assert iae == ["shown", "shown", "small", "withheld"]
    assert indicators["transition_employment_rate"]["status"]["numerator"] == "small"
    assert indicators["dropout_rate"]["numerator"] == 20
    assert public["population"]["neutralised"] is None
    assert public["population_status"]["neutralised"] == "small"
    internal = _report(cli, "--audience", "internal", *sets)
    values = exact_values(merged_as_published(figures(internal), public), public)
    small = [var for var, value in values.items() if 0 < value < 11]
    assert small
    positive = tuple(public["provenance"]["parameters"]["positive_families"])
    for var, (low, high) in lp_intervals(public, positive, small).items():
        assert high - low >= 11 - 1e-6, (var, low, high)
    assert (
        public["provenance"]["definitions_fingerprint"]
        != (internal["provenance"]["definitions_fingerprint"])
    )


@pytest.mark.parametrize(
    ("option", "expected"), [((), "public"), (("--audience", "internal"), "internal")]
)
def test_reporting_audience_in_the_programme_sets_the_default(
    insertion_cli: InsertionCli, tmp_path: Path, option: tuple[str, ...], expected: str
) -> None:
    cli = _load(insertion_cli, tmp_path, audience="public")
    document = _report(cli, *option)
    assert document["audience"] == expected
    assert (document["population"]["neutralised"] is None) == (expected == "public")


def test_the_public_report_shows_the_time_to_outcome_on_its_grid_and_passes_the_audit(
    insertion_cli: InsertionCli, tmp_path: Path
) -> None:
    cli = _load(insertion_cli, tmp_path)
    public = _report(cli, "--audience", "public", "--by", "gender")
    internal = _report(cli, "--audience", "internal", "--by", "gender")
    found, exact = public["time_to_outcome"], internal["time_to_outcome"]
    assert found["leavers"] == exact["leavers"] == 212
    assert found["leavers_status"] == "shown"
    assert [row["day"] for row in found["grid"]] == [0, 1, 31, 92, 183]
    assert "curve" not in found  # the day-by-day counts stay in internal reports
    # every shown count is exact, and no small one is shown
    events = sum(p["events"] for p in exact["curve"] if 1 <= p["day"] <= 30)
    assert found["grid"][1]["events"] in (events, None)
    for scope in (found, *found["breakdowns"]["gender"].values()):
        for row in scope["grid"]:
            for name in ("at_risk", "events", "censored"):
                value = row[name]
                assert (value is None) == (row["status"][name] != "shown")
                assert value is None or value == 0 or value >= 11, (row, name)
    # F on a check day is the internal one when the counts it rests on are shown
    shown_days = [d for d, s in found["share_positive_by_day"].items() if s["share"] is not None]
    assert shown_days
    for day in shown_days:
        share = found["share_positive_by_day"][day]
        assert share["share"] == exact["share_positive_by_day"][day]["share"]
        followed = exact["share_positive_by_day"][day]["at_risk"]  # t ≥ day; public: t > day
        assert share["at_risk"] is None or share["at_risk"] <= followed
