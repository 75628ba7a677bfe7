"""Output injection: hostile ids, cohorts, counsellors and programme names in every output.

CSV cells that a spreadsheet would run as a formula are neutralised, text written for a
person holds no control character or escape sequence, markdown and html escape markup.
The formula ids come in through the importer, as a funder's spreadsheet would bring them;
the values with control characters are stored through the workspace, whatever the
importer's own rules about ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import example, given
from hypothesis import strategies as st

from insertion_core import Exit, Participant, Situation, Workspace, safety
from insertion_core.cli import make_cli
from insertion_core.domain import AttendanceRecord, AttendanceStatus, ExitReason
from insertion_core.plugins import get_plugin_manager
from insertion_core.safety import (
    FORMULA_STARTS,
    csv_document,
    json_document,
    markdown_text,
    spreadsheet_cell,
    terminal_text,
)

TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J\x1b[H"
SCRIPT = "<script>alert(1)</script>"
FORMULAS = ["=1+2", "=cmd|'/c calc'!A0", "-2+3", "+1", "@SUM(A1)"]
# Identifiers cannot hold control characters (docs/api.md, Identifiers: they are refused on
# the way in), so the hostile ids carry markup, table marks and formulas; the control
# characters come through the programme's name and label.
HOSTILE_COHORT = f"C|{SCRIPT}"
HOSTILE_ID = "P<b>|1"
HOSTILE_COUNSELLOR = "@cip"
RAW_CONTROLS = ("\x1b", "\x07", "\r", "\x9b")

PROGRAMME = f"""
[programme]
id = "site"
name = "Site {json.dumps(TITLE)[1:-1]} {SCRIPT} | =1+2"
label = "{json.dumps(CLEAR)[1:-1]}label"

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]

[reporting]
min_cell = 0
"""

AS_OF = "2025-02-15"


def run(db: str, *args: str) -> Result:
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def report(db: str, format_name: str, *more: str) -> Result:
    """The report of the hostile site, by cohort, in ``format_name``."""
    by_cohort = ("--as-of", AS_OF, "--by", "cohort", "--format", format_name, *more)
    result = run(db, "report", "--programme", "site", *by_cohort)
    assert result.exit_code == 0, result.stderr
    return result


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'site.db'}"
    assert run(url, "init").exit_code == 0
    assert run(url, "programme", "load", str(write(folder / "p.toml", PROGRAMME))).exit_code == 0
    data = folder / "data"
    data.mkdir()
    quoted = ['"' + f.replace('"', '""') + '"' for f in FORMULAS]
    write(
        data / "participants.csv",
        "participant_id,cohort_id,entry_date,counsellor\n"
        + "".join(f'{q},"=HYPERLINK(""http://x"")",2024-09-02,{q}\n' for q in quoted),
    )
    write(
        data / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\n"
        + "".join(f"{q},2025-01-10,completed,job_search\n" for q in quoted[:2]),
    )
    write(
        data / "attendance.csv",
        "participant_id,date,half_day,status\n"
        + "".join(f"{q},2025-02-1{d},,absent\n" for q in quoted[2:] for d in (3, 4)),
    )
    imported = run(url, "import", "--programme", "site", str(data))
    assert imported.exit_code == 0, imported.stderr
    with Workspace.open(url) as workspace:
        for pid, exit_on in ((HOSTILE_ID, dt.date(2025, 1, 10)), ("P2", None)):
            workspace.enrol(
                "site",
                Participant(
                    pid, HOSTILE_COHORT, dt.date(2024, 9, 2), counsellor=HOSTILE_COUNSELLOR
                ),
            )
            if exit_on is not None:
                workspace.record_exit(
                    "site", pid, Exit(exit_on, ExitReason.COMPLETED, Situation("employment"))
                )
            else:
                for day in (13, 14):
                    record = AttendanceRecord(dt.date(2025, 2, day), AttendanceStatus.ABSENT)
                    workspace.record_attendance("site", pid, record)
    return url


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def assert_inert(rows: list[list[str]]) -> None:
    """No cell a spreadsheet would run, none with a control character."""
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or (cell[0] == "-" and _number(cell)), cell
            assert not any(c in cell for c in RAW_CONTROLS), cell


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_no_control(text: str) -> None:
    assert not any(c in text for c in RAW_CONTROLS), repr(text)


# The three functions


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_like_a_formula_gets_a_quote(start: str) -> None:
    cell = spreadsheet_cell(start + "1+2")
    assert isinstance(cell, str)
    assert cell.startswith("'")
    assert cell[2:] == "1+2"


def test_numbers_stay_numbers_and_text_that_looks_like_one_does_not() -> None:
    assert spreadsheet_cell(-0.05) == -0.05
    assert spreadsheet_cell(-3) == -3
    assert spreadsheet_cell(Decimal("-4.5")) == Decimal("-4.5")
    assert spreadsheet_cell("-0.05") == "'-0.05"
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell("2026-01-12") == "2026-01-12"
    assert spreadsheet_cell("Hélène = 5") == "Hélène = 5"


def test_a_csv_document_reads_back_with_every_text_cell_inert() -> None:
    text = csv_document(
        ["id", "value"], [["=cmd|'/c calc'!A0", -0.05], ["@SUM(A1)", 3], ["ok", None]]
    )
    assert csv_rows(text) == [
        ["id", "value"],
        ["'=cmd|'/c calc'!A0", "-0.05"],
        ["'@SUM(A1)", "3"],
        ["ok", ""],
    ]


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        (TITLE + "x", "\ufffdx"),
        (CLEAR, "\ufffd\ufffd"),
        ("a\x00b\x7fc\x9b2Jd", "a\ufffdb\ufffdc\ufffd2Jd"),
        ("\x1b]0;unterminated", "\ufffd]0;unterminated"),
        ("abc\u202edcba", "abc\ufffddcba"),
        ("two\nlines\tand\r", "two\ufffdlines\ufffdand\ufffd"),
        ("Hélène ≥ 5 % · 名", "Hélène ≥ 5 % · 名"),
    ],
)
def test_terminal_text_replaces_controls_and_escape_sequences(hostile: str, shown: str) -> None:
    assert terminal_text(hostile) == shown


@given(st.text(), st.booleans())
@example("\u202eevil", False)
@example("a\x9b[2Jb", True)
@example("\u2028\u00a0\x7f", False)
def test_terminal_text_equals_its_pattern_whatever_the_text(text: str, lines: bool) -> None:
    # The printable fast path must never keep what the pattern replaces.
    pattern = safety._IN_LINES if lines else safety._IN_A_LINE
    assert terminal_text(text, lines=lines) == pattern.sub(safety.REPLACEMENT, text)


def test_terminal_text_keeps_newlines_and_tabs_of_a_multi_line_message() -> None:
    assert terminal_text(f"one\n\ttwo{CLEAR}\r", lines=True) == "one\n\ttwo\ufffd\ufffd\ufffd"


def test_json_document_escapes_what_json_leaves_raw_and_reads_back_exact() -> None:
    value = {f"C{CLEAR}": ["a\x9b[2Jb", "\u202eevil", "\x7f", "Zoé 名"]}
    text = json_document(value)
    assert_no_control(text)
    assert "\u202e" not in text
    assert "\\u009b" in text and "\\u202e" in text and "Zoé 名" in text
    assert json.loads(text) == value


def test_markdown_text_escapes_html_and_table_marks() -> None:
    assert markdown_text(SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert markdown_text("a|b \\ [x](javascript:y) *b* _i_ `c` ~s~ & ;") == (
        "a\\|b \\\\ \\[x\\](javascript:y) \\*b\\* \\_i\\_ \\`c\\` \\~s\\~ &amp; ;"
    )


# Reports


def test_csv_report_neutralises_formula_cohorts_and_keeps_figures_as_numbers(db: str) -> None:
    result = report(db, "csv", "--csv-dialect", "plain")
    rows = csv_rows(result.stdout)
    assert_inert(rows)
    groups = {row[1] for row in rows[1:] if row[0] == "cohort"}
    assert groups == {'\'=HYPERLINK("http://x")', "C|" + SCRIPT}
    selected = [row[4] for row in rows[1:] if row[0] == "" and row[2] == "population.selected"]
    assert selected == ["7"]


def test_csv_report_in_the_locale_dialect_is_inert_too(db: str) -> None:
    result = report(db, "csv")
    text = result.stdout.removeprefix("\ufeff")
    delimiter = ";" if text.splitlines()[0].count(";") > 2 else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert_inert(rows)
    assert {row[1] for row in rows[1:] if row[0]} >= {'\'=HYPERLINK("http://x")', "C|" + SCRIPT}


def test_text_report_has_no_control_character(db: str) -> None:
    result = report(db, "text")
    assert_no_control(result.stdout)
    assert result.stdout.startswith("Outcome report: Site \ufffd <script>alert(1)</script> | =1+2")
    assert "C|<script>" in result.stdout


def test_markdown_report_escapes_html_and_pipes(db: str) -> None:
    result = report(db, "markdown")
    assert_no_control(result.stdout)
    assert "<script>" not in result.stdout
    assert result.stdout.startswith(
        "# Outcome report: Site \ufffd &lt;script&gt;alert(1)&lt;/script&gt; \\| =1+2,"
    )
    assert "C\\|&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout
    header = next(line for line in result.stdout.splitlines() if "HYPERLINK" in line)
    assert header.count(" | ") == 2  # indicator and two cohorts: no cell was split


def test_html_report_escapes_every_value(db: str) -> None:
    result = report(db, "html")
    assert_no_control(result.stdout)
    assert "<script>" not in result.stdout
    assert (
        "<title>Outcome report — Site \ufffd &lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout
    )
    assert '<th scope="col">C|&lt;script&gt;alert(1)&lt;/script&gt;</th>' in result.stdout


def test_json_report_keeps_the_values_exact_and_escaped(db: str) -> None:
    result = report(db, "json")
    assert_no_control(result.stdout)  # JSON writes control characters as \\u escapes
    assert HOSTILE_COHORT in json.loads(result.stdout)["breakdowns"]["cohort"]


# Follow-ups


def test_due_checkins_as_csv_neutralise_formula_ids_and_counsellors(db: str) -> None:
    due = ("followups", "due", "--programme", "site", "--as-of", AS_OF, "--format", "csv")
    result = run(db, *due, "--csv-dialect", "plain")
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert_inert(rows)
    assert rows[0][:5] == [
        "participant_id",
        "checkpoint_months",
        "due_date",
        "status",
        "counsellor",
    ]
    assert sorted((row[0], row[1], row[4]) for row in rows[1:]) == [
        ("'=1+2", "1", "'=1+2"),
        ("'=cmd|'/c calc'!A0", "1", "'=cmd|'/c calc'!A0"),
        ("P<b>|1", "1", "'@cip"),
    ]


def test_due_checkins_as_json_keep_the_values_exact(db: str) -> None:
    result = run(
        db, "followups", "due", "--programme", "site", "--as-of", AS_OF, "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    assert_no_control(result.stdout)
    listed = {(d["participant_id"], d["counsellor"]) for d in json.loads(result.stdout)}
    assert (HOSTILE_ID, HOSTILE_COUNSELLOR) in listed
    assert ("=1+2", "=1+2") in listed


def test_due_checkins_as_text_have_no_control_character(db: str) -> None:
    result = run(db, "followups", "due", "--programme", "site", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert_no_control(result.stdout)
    assert "P<b>|1" in result.stdout
    assert "Caseload: =1+2 1, =cmd|'/c calc'!A0 1, @cip 1" in result.stdout


def test_at_risk_as_csv_neutralises_formula_ids(db: str) -> None:
    result = run(
        db, "followups", "at-risk", "--programme", "site", "--as-of", AS_OF, "--format", "csv"
    )
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert_inert(rows)
    assert sorted(row[0] for row in rows[1:]) == ["'+1", "'-2+3", "'@SUM(A1)", "P2"]
    assert {row[1] for row in rows[1:]} == {"4"}  # absences stay numbers


def test_at_risk_as_text_has_no_control_character(db: str) -> None:
    result = run(db, "followups", "at-risk", "--programme", "site", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert_no_control(result.stdout)
    assert "  P2              4 half-days  @cip" in result.stdout


# Messages that echo data


def test_programme_load_echoes_the_name_without_control_characters(db: str, tmp_path: Path) -> None:
    result = run(
        db,
        "programme",
        "load",
        str(write(tmp_path / "p.toml", PROGRAMME)),
    )
    assert result.exit_code == 0
    assert result.stdout == "Programme site loaded: Site \ufffd <script>alert(1)</script> | =1+2\n"


def test_an_import_error_echoing_a_cohort_id_has_no_control_character(
    db: str, tmp_path: Path
) -> None:
    cohorts = write(
        tmp_path / "cohorts.csv",
        f"cohort_id,start_date,end_date,capacity\nC{TITLE}\nC{TITLE}\n",
    )
    result = run(db, "import", "--programme", "site", "--kind", "cohorts", str(cohorts))
    assert result.exit_code == 1
    assert_no_control(result.stderr)
    assert f"{cohorts}:3: cohort_id: " in result.stderr
    assert "nothing was written" in result.stderr
