"""``insertion report --by year``, targets and time to outcome, end to end on the sample site in SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from .paths import SAMPLE_SITE
from .test_cli_report import WINDOW, run

EXPECTED = json.loads((SAMPLE_SITE / "expected-time-and-years.json").read_text(encoding="utf-8"))
TARGETS = "\n[targets]\nremobilisation_rate = 0.75\ndropout_rate = { at_most = 0.05 }\n"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample site with targets, imported into SQLite (facts pushed down to SQL)."""
    folder = tmp_path_factory.mktemp("progress")
    programme = folder / "programme.toml"
    text = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
    programme.write_text(text + TARGETS, encoding="utf-8")
    url = f"sqlite:///{folder / 'sample.db'}"
    assert run(url, "init").exit_code == 0
    assert run(url, "programme", "load", str(programme)).exit_code == 0
    imported = run(url, "import", "--programme", "sample-site", str(SAMPLE_SITE))
    assert imported.exit_code == 0, imported.stderr
    return url


def report(db: str, *options: str) -> Result:
    """``insertion report --programme sample-site OPTIONS``."""
    return run(db, "report", "--programme", "sample-site", *options)


@pytest.mark.parametrize("basis", ["entry", "exit"])
def test_json_years_targets_and_time_to_outcome(db: str, basis: str) -> None:
    result = report(db, *WINDOW, "--basis", basis, "--by", "year", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    want = EXPECTED[basis]
    assert sorted(document["breakdowns"]["year"]) == sorted(want["by_year"])
    for year, figures in want["by_year"].items():
        assert document["breakdowns"]["year"][year]["population"] == figures["population"]
    time = document["time_to_outcome"]
    assert (time["leavers"], time["events"], time["median_days"]) == (
        want["time_to_outcome"]["leavers"],
        want["time_to_outcome"]["events"],
        want["time_to_outcome"]["median_days"],
    )
    for day, share in want["time_to_outcome"]["share_positive_by_day"].items():
        assert time["share_positive_by_day"][day]["share"] == pytest.approx(share, abs=1e-12)
    assert set(time["breakdowns"]["year"]) <= set(want["by_year"])
    followed = time["censored_before_first"]
    followed += sum(point["events"] + point["censored"] for point in time["curve"])
    assert followed == time["leavers"]
    assert sum(point["events"] for point in time["curve"]) == time["events"]
    remobilisation = document["indicators"]["remobilisation_rate"]
    assert document["targets"]["remobilisation_rate"] == {
        "target": 0.75,
        "direction": "at_least",
        "gap": pytest.approx(remobilisation["value"] - 0.75),
        "met": remobilisation["value"] >= 0.75,
        "position": "above" if remobilisation["ci95"][0] > 0.75 else "around",
    }
    assert document["targets"]["dropout_rate"]["direction"] == "at_most"
    trend = document["trends"]["remobilisation_rate"]
    assert list(trend) == sorted(want["by_year"])


def test_text_shows_targets_trend_and_time_to_outcome(db: str) -> None:
    result = report(db, *WINDOW, "--by", "year")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "objectif" in text and "≥ 75,0 %" in text and "≤ 5,0 %" in text
    assert "Évolution par année" in text and "Répartition par année" in text
    assert "Délai avant la première situation positive après la sortie" in text
    assert "66,4 %" in text  # the share with a positive outcome by day 30 (97/146)


def test_public_report_gives_time_to_outcome_on_the_grid_in_json_only(db: str) -> None:
    public = ("--as-of", "2026-11-25", "--audience", "public")
    result = report(db, *public, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["time_to_outcome"]
    assert "curve" not in found
    assert [row["day"] for row in found["grid"]] == [0, 1, 31, 92, 183]
    first = found["grid"][0]
    assert first["at_risk"] == found["leavers"] and first["status"]["at_risk"] == "shown"
    text = report(db, *public)
    assert text.exit_code == 0, text.stderr
    assert "Délai avant la première situation positive" not in text.stdout


def test_programme_load_refuses_a_target_on_an_unknown_indicator(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    assert run(url, "init").exit_code == 0
    programme = tmp_path / "programme.toml"
    text = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
    programme.write_text(text + "\n[targets]\nplacement_rate = 0.6\n", encoding="utf-8")
    result = run(url, "programme", "load", str(programme))
    assert result.exit_code == 1
    assert f"{programme}: targets.placement_rate: unknown indicator (known indicators: " in (
        result.stderr
    )
