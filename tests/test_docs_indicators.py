"""docs/indicators.md: every built-in indicator is there, and its worked example is what the code counts.

The worked example's files are ``examples/indicators-worked/``; the page's
tables give each figure as ``n/N`` (rates) or a count in their last column.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from insertion_core.domain import loads_programme
from insertion_core.outcomes import BUILTIN_SETS, wilson
from insertion_core.testing import InsertionCli

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "indicators.md"
WORKED = ROOT / "examples" / "indicators-worked"
AS_OF = "2026-06-30"
ROW = re.compile(r"^\| `(\w+)` \|.*\| (?:(\d+)/(\d+)|(\d+)) \|$", re.MULTILINE)


def documented() -> dict[str, tuple[int, int | None]]:
    """Indicator id -> (numerator, denominator) or (count, None), from the page's tables."""
    found: dict[str, tuple[int, int | None]] = {}
    for match in ROW.finditer(PAGE.read_text(encoding="utf-8")):
        ident, num, den, count = match.groups()
        assert ident not in found, f"{ident} is in two tables"
        found[ident] = (int(num), int(den)) if num is not None else (int(count), None)
    return found


@pytest.fixture
def report(insertion_cli: InsertionCli) -> dict[str, Any]:
    insertion_cli("programme", "load", str(WORKED / "programme.toml"))
    insertion_cli("import", "--programme", "worked", str(WORKED))
    result = insertion_cli(
        "report", "--programme", "worked", "--as-of", AS_OF, "--min-cell", "0", "--format", "json"
    )
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_every_builtin_indicator_is_documented() -> None:
    programme = loads_programme((WORKED / "programme.toml").read_text(encoding="utf-8"))
    ids = {ind.id for s in BUILTIN_SETS for ind in s.indicators(programme)}
    assert sorted(ids) == sorted(documented())


def test_the_worked_example_is_what_the_code_counts(report: dict[str, Any]) -> None:
    computed = {}
    for ident, value in report["indicators"].items():
        if "count" in value:
            computed[ident] = (value["count"], None)
        else:
            computed[ident] = (value["numerator"], value["denominator"])
    assert computed == documented()


def test_the_population_table(report: dict[str, Any]) -> None:
    assert report["population"] == {
        "selected": 7, "in_programme": 1, "pending": 1, "neutralised": 1, "mature": 4,
    }  # fmt: skip


def test_the_wilson_example() -> None:
    low, high = wilson(2, 4)
    assert f"ci95 = [{low:.4f}, {high:.4f}]" in PAGE.read_text(encoding="utf-8")


def test_the_checkins_listed_on_the_day(
    insertion_cli: InsertionCli, report: dict[str, Any]
) -> None:
    result = insertion_cli(
        "followups", "due", "--programme", "worked", "--as-of", AS_OF, "--format", "json"
    )
    listed = [
        (d["participant_id"], d["checkpoint_months"], d["status"])
        for d in json.loads(result.stdout)
    ]
    assert listed == [("F", 3, "overdue"), ("B", 6, "overdue")]
