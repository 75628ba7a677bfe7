"""docs/data-formats.md: its examples of output are what the commands print.

The report document, its CSV rows and the ``followups due`` list are shown on
the worked example of docs/indicators.md (``examples/indicators-worked/``).
Every key and value shown must be in the real output; what changes from run to
run (the time, the library version) is left out of the comparison.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from insertion_core.testing import InsertionCli

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "data-formats.md"
WORKED = ROOT / "examples" / "indicators-worked"
REPORT = ["report", "--programme", "worked", "--as-of", "2026-06-30", "--min-cell", "0"]
VARIABLE = {"generated_at", "library_version"}


def blocks(language: str) -> list[str]:
    """The page's fenced blocks in ``language``, in order."""
    text = PAGE.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def missing(shown: Any, real: Any, where: str = "") -> list[str]:
    """Where ``shown`` differs from ``real``: every key shown must be there, with its value."""
    if isinstance(shown, dict) and isinstance(real, dict):
        found = []
        for key, value in shown.items():
            if key in VARIABLE:
                continue
            if key not in real:
                found.append(f"{where}.{key}: not in the output")
            else:
                found += missing(value, real[key], f"{where}.{key}")
        return found
    return [] if shown == real else [f"{where}: shown {shown!r}, printed {real!r}"]


@pytest.fixture
def cli(insertion_cli: InsertionCli) -> InsertionCli:
    insertion_cli("programme", "load", str(WORKED / "programme.toml"))
    insertion_cli("import", "--programme", "worked", str(WORKED))
    return insertion_cli


def test_the_report_document_shown_is_the_real_one(cli: InsertionCli) -> None:
    [shown, *_] = [json.loads(block) for block in blocks("json")]
    real = json.loads(cli(*REPORT, "--by", "gender", "--format", "json").stdout)
    assert missing(shown, real) == []
    assert sorted(shown) == sorted(real)


def test_the_csv_rows_shown_are_printed(cli: InsertionCli) -> None:
    [shown] = [b for b in blocks("text") if b.startswith("breakdown,group,indicator,")]
    plain = ("--format", "csv", "--csv-dialect", "plain")
    printed = cli(*REPORT, "--by", "gender", *plain).stdout.splitlines()
    header, *rows = shown.splitlines()
    assert header == printed[0]
    assert [row for row in rows if row not in printed] == []


def test_the_due_list_shown_is_printed(cli: InsertionCli) -> None:
    [_, shown] = [json.loads(block) for block in blocks("json")]
    args = ["followups", "due", "--programme", "worked", "--as-of", "2026-06-30"]
    assert json.loads(cli(*args, "--format", "json").stdout) == shown


def test_a_difference_is_found() -> None:
    real = {"a": {"b": 1, "generated_at": "now"}, "c": 2}
    assert missing({"a": {"b": 1, "generated_at": "then"}}, real) == []
    assert missing({"a": {"b": 2}, "d": 0}, real) == [
        ".a.b: shown 2, printed 1",
        ".d: not in the output",
    ]
