"""A second site of another shape runs on the library as it is: configuration and data only.

No plugin is registered here (``insertion_plugins`` keeps its default): a
programme family of its own, other phases, a one-year follow-up and French
Excel files all go through the command line unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cergy_data
import pytest

from insertion_core.testing import InsertionCli

HERE = Path(__file__).resolve().parents[1]
PROGRAMME = "cergy-pass-numerique"
AS_OF = cergy_data.AS_OF.isoformat()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    cergy_data.write(tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def loaded(insertion_cli: InsertionCli, data: Path) -> InsertionCli:
    insertion_cli("programme", "load", str(HERE / "programme.toml"))
    result = insertion_cli("import", "--programme", PROGRAMME, str(data))
    assert "participants: 68 added" in result.stdout
    return insertion_cli


def report(cli: InsertionCli, *options: str) -> dict[str, Any]:
    result = cli("report", "--programme", PROGRAMME, "--as-of", AS_OF, "--format", "json", *options)
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_own_family_gets_its_own_rate(loaded: InsertionCli) -> None:
    figures = report(loaded, "--min-cell", "0")
    counts = {k: (v["numerator"], v["denominator"]) for k, v in figures["indicators"].items()}
    expected = {  # MATURE_CLASSES in cergy_data.py, over the 48 mature participants
        "dropout_rate": (6, 48),
        "employment_rate": (14, 48),
        "business_creation_rate": (8, 48),
        "training_rate": (10, 48),
        "civic_service_rate": (4, 48),
        "remobilisation_rate": (36, 48),
        "no_outcome_rate": (6, 48),
        "employment_digital_share": (8, 14),
        "training_digital_share": (4, 10),
    }
    assert {k: counts[k] for k in expected} == expected
    assert figures["basis"] == "exit"
    assert figures["population"] == {
        "selected": 60, "in_programme": 0, "pending": 10, "neutralised": 2, "mature": 48,
    }  # fmt: skip


def test_one_year_of_checkins(loaded: InsertionCli) -> None:
    figures = report(loaded, "--set", "followup", "--min-cell", "0")["indicators"]
    # 48 mature x 3 check-ins + 10 pending x 1 assessed (the three-month one);
    # dropouts have no 12-month contact, and 4 pending ones missed theirs.
    assert figures["checkin_completion_rate"]["denominator"] == 48 * 3 + 10
    assert figures["checkin_completion_rate"]["numerator"] == (48 * 3 - 6) + (10 - 4)
    due = loaded("followups", "due", "--programme", PROGRAMME, "--as-of", AS_OF, "--format", "json")
    listed = json.loads(due.stdout)
    assert {(d["checkpoint_months"], d["status"]) for d in listed} == {(3, "overdue")}
    assert len(listed) == 4


def test_published_report_applies_the_programmes_threshold(loaded: InsertionCli) -> None:
    figures = report(loaded, "--audience", "public")["indicators"]
    assert figures["civic_service_rate"]["suppressed"] is True  # 4 < min_cell 5
    # withheld too, so that civic service cannot be computed back from remobilisation
    assert figures["business_creation_rate"]["numerator"] is None
    assert figures["remobilisation_rate"]["value"] == pytest.approx(0.75, abs=1e-12)


def test_the_comments_column_is_skipped_only_because_the_programme_says_so(
    insertion_cli: InsertionCli, data: Path, tmp_path: Path
) -> None:
    text = (HERE / "programme.toml").read_text(encoding="utf-8")
    strict = tmp_path / "strict.toml"
    strict.write_text(text.replace('ignore_columns = ["Commentaires"]', ""), encoding="utf-8")
    insertion_cli("programme", "load", str(strict))
    refused = insertion_cli("import", "--programme", PROGRAMME, str(data), expect_exit=1)
    assert "Commentaires" in refused.stderr, refused.stderr
    assert "nothing was written" in refused.stderr
