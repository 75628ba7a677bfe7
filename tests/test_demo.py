"""``make demo``: the Gonesse reference deployment reproduces the Fabrique's published figures."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

GONESSE = Path(__file__).resolve().parents[1] / "examples" / "gonesse"
sys.path.insert(0, str(GONESSE))

import demo  # noqa: E402

PUBLISHED = {  # label in the text report -> (percentage, numerator/denominator)
    "Remobilisation": ("90,0 %", "180/200"),
    "Formation": ("70,0 %", "140/200"),
    "dont numérique (formation)": ("55,0 %", "77/140"),
    "Accès à l'emploi": ("20,0 %", "40/200"),
    "dont numérique (accès à l'emploi)": ("65,0 %", "26/40"),
    "Abandons": ("10,0 %", "20/200"),
    # the other half of each digital share, from the site's own set
    "dont autre secteur (formation)": ("45,0 %", "63/140"),
    "dont autre secteur (accès à l'emploi)": ("35,0 %", "14/40"),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("demo")
    out = io.StringIO()
    with redirect_stdout(out):
        code = demo.run(work)
    assert code == 0
    return work, out.getvalue()


def test_the_text_report_prints_the_published_key_figures(run: tuple[Path, str]) -> None:
    _, printed = run
    for label, (percent, fraction) in PUBLISHED.items():
        line = next(ln for ln in printed.splitlines() if ln.startswith(label + " "))
        assert re.search(rf"\s{re.escape(percent)}\s+{re.escape(fraction)}\s", line), line


def test_the_json_report_holds_the_exact_fractions(run: tuple[Path, str]) -> None:
    work, _ = run
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    figures = report["indicators"]
    assert report["population"]["mature"] == 200
    assert report["population"]["in_programme"] == 14
    for name, (numerator, denominator) in {
        "remobilisation_rate": (180, 200),
        "training_rate": (140, 200),
        "employment_rate": (40, 200),
        "dropout_rate": (20, 200),
        "training_digital_share": (77, 140),
        "employment_digital_share": (26, 40),
    }.items():
        assert (figures[name]["numerator"], figures[name]["denominator"]) == (
            numerator,
            denominator,
        )
        assert figures[name]["value"] == numerator / denominator


def test_check_ins_due_and_participants_at_risk_are_listed(run: tuple[Path, str]) -> None:
    _, printed = run
    assert re.search(r"\d+ check-ins: \d+ due, \d+ overdue", printed)
    assert "At risk:" in printed


def test_the_html_report_is_written_and_its_path_printed(run: tuple[Path, str]) -> None:
    work, printed = run
    page = work / "report.html"
    assert f"The HTML report is in {page.resolve()}" in printed
    assert "<h1>" in page.read_text(encoding="utf-8")


def test_the_workbook_and_the_csv_are_written_beside_it(run: tuple[Path, str]) -> None:
    work, _ = run
    assert (work / "report.xlsx").read_bytes().startswith(b"PK")  # a zip: the xlsx container
    text = (work / "report.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    remobilisation = next(row for row in rows if row[3] == "remobilisation_rate")
    assert remobilisation[11] == "90,0"  # percent, rounded as shown, decimal comma
