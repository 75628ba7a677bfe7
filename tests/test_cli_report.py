"""``insertion report`` end to end: the sample site imported into SQLite, reported as docs/data-formats.md says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from insertion_core.cli import make_cli
from insertion_core.plugins import get_plugin_manager

from .paths import SAMPLE_SITE

WINDOW = ["--as-of", "2026-11-25", "--from", "2021-01-01", "--to", "2026-12-31", "--min-cell", "0"]


def run(db: str, *args: str) -> Result:
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'sample.db'}"
    assert run(url, "init").exit_code == 0
    assert run(url, "programme", "load", str(SAMPLE_SITE / "programme.toml")).exit_code == 0
    imported = run(url, "import", "--programme", "sample-site", str(SAMPLE_SITE))
    assert imported.exit_code == 0, imported.stderr
    return url


def close(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert actual["numerator"] == expected["numerator"]
    assert actual["denominator"] == expected["denominator"]
    assert actual["value"] == pytest.approx(expected["value"], abs=1e-12)
    assert actual["ci95"] == pytest.approx(expected["ci95"], abs=1e-12)


@pytest.mark.parametrize("basis", ["entry", "exit"])
def test_json_report_matches_the_independently_counted_figures(db: str, basis: str) -> None:
    result = run(
        db, "report", "--programme", "sample-site", *WINDOW, "--basis", basis, "--format", "json"
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)  # standard output holds the JSON and nothing else
    expected = json.loads(
        (SAMPLE_SITE / f"expected-report-{basis}.json").read_text(encoding="utf-8")
    )
    assert document["schema"] == "insertion-core/report/2"
    assert document["basis"] == basis
    assert document["population"] == expected["population"]
    assert set(expected["indicators"]) <= set(document["indicators"])
    for name, figures in expected["indicators"].items():
        close(document["indicators"][name], figures)
    assert set(document["provenance"]) >= {
        "generated_at",
        "library_version",
        "definitions_version",
        "data_sha256",
    }


def test_same_options_give_the_same_document_outside_provenance(db: str) -> None:
    first, second = (
        json.loads(
            run(db, "report", "--programme", "sample-site", *WINDOW, "--format", "json").stdout
        )
        for _ in range(2)
    )
    first.pop("provenance")
    second.pop("provenance")
    assert first == second


def test_text_report_reads_like_the_published_figures(db: str) -> None:
    result = run(
        db,
        "report",
        "--programme",
        "sample-site",
        *WINDOW,
        "--basis",
        "exit",
        "--set",
        "key_figures",
    )
    assert result.exit_code == 0
    assert "Remobilisation" in result.stdout
    assert "81,6 %  111/136" in result.stdout


def test_sets_can_be_repeated_or_comma_separated(db: str) -> None:
    result = run(
        db,
        "report",
        "--programme",
        "sample-site",
        *WINDOW,
        "--format",
        "json",
        "--set",
        "key_figures,followup",
        "--set",
        "dynamic_exits",
    )
    indicators = json.loads(result.stdout)["indicators"]
    assert "checkin_completion_rate" in indicators and "durable_employment_rate" in indicators
    assert "esf_employment_six_months" not in indicators


def test_output_file_is_written_and_named_on_stderr(db: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.md"
    result = run(
        db,
        "report",
        "--programme",
        "sample-site",
        *WINDOW,
        "--format",
        "markdown",
        "-o",
        str(target),
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"Written to {target}" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("#")


def test_csv_format(db: str) -> None:
    result = run(db, "report", "--programme", "sample-site", *WINDOW, "--format", "csv")
    assert result.exit_code == 0
    assert "remobilisation_rate" in result.stdout


def test_unknown_format_is_a_usage_error(db: str) -> None:
    result = run(db, "report", "--programme", "sample-site", "--format", "pdf")
    assert result.exit_code == 2
    assert "unknown format 'pdf'; available: csv, html, json, markdown, text, xlsx" in result.stderr


def test_unknown_set_is_bad_input(db: str) -> None:
    result = run(db, "report", "--programme", "sample-site", "--set", "nope")
    assert result.exit_code == 1
    assert "nope" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_programme_is_bad_input_listing_the_known_ones(db: str) -> None:
    result = run(db, "report", "--programme", "elsewhere")
    assert result.exit_code == 1
    assert "no programme 'elsewhere' (known programmes: sample-site)" in result.stderr


def test_a_bad_date_is_a_usage_error(db: str) -> None:
    result = run(db, "report", "--programme", "sample-site", "--as-of", "25/11/26")
    assert result.exit_code == 2
    assert "'25/11/26' has a two-digit year, which is ambiguous" in result.stderr


def test_due_checkins_as_json_match_the_expected_list(db: str) -> None:
    result = run(
        db,
        "followups",
        "due",
        "--programme",
        "sample-site",
        "--as-of",
        "2026-09-15",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    expected = json.loads(
        (SAMPLE_SITE / "expected-due-2026-09-15.json").read_text(encoding="utf-8")
    )
    listed = json.loads(result.stdout)
    assert [
        {k: d[k] for k in d if k in e} for d, e in zip(listed, expected, strict=True)
    ] == expected
    # staff see whom to call: the names stored with the participants, and the last contact
    assert [(d["first_name"], d["last_name"]) for d in listed][:2] == [
        ("Noël", "Gonçalves"),
        ("Maëlys", "Le Gall"),
    ]
    assert listed[2]["last_contact"] == {
        "date": "2026-07-25",
        "situation": "job_search.other",
        "channel": None,
    }
    assert {d["attempts_since"] for d in listed} == {0}


def test_due_checkins_without_names_carry_no_personal_key(db: str) -> None:
    args = ["--programme", "sample-site", "--as-of", "2026-09-15", "--no-names"]
    result = run(db, "followups", "due", *args, "--format", "json")
    assert result.exit_code == 0
    for item in json.loads(result.stdout):
        assert not {"first_name", "last_name", "phone", "email"} & set(item)
        assert "last_contact" in item and "attempts_since" in item
    text = run(db, "followups", "due", *args)
    assert text.exit_code == 0
    assert "Gonçalves" not in text.stdout and "no phone" not in text.stdout
    assert "no contact yet" in text.stdout


def test_due_checkins_accept_the_date_forms_of_the_importer(db: str) -> None:
    iso = run(db, "followups", "due", "--programme", "sample-site", "--as-of", "2026-09-15")
    for form in ("15/9/2026", "15/09/2026 00:00", "2026-09-15T08:30"):
        other = run(db, "followups", "due", "--programme", "sample-site", "--as-of", form)
        assert other.exit_code == 0, other.stderr
        assert other.stdout == iso.stdout


def test_due_checkins_as_text_with_caseload(db: str) -> None:
    result = run(db, "followups", "due", "--programme", "sample-site", "--as-of", "2026-09-15")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["due", "date", "status", "participant", "check-in", "counsellor"]
    assert lines[1].split() == ["2026-08-12", "overdue", "HX00115", "3", "months", "-"]
    assert lines[2].strip() == "Noël Gonçalves  no phone  no e-mail"
    assert lines[3].strip() == "no contact yet"
    assert lines[4].split() == ["2026-08-26", "overdue", "HX00136", "1", "month", "-"]
    assert "last contact 2026-07-25 job_search.other" in result.stdout
    assert "Caseload: - 4" in result.stdout
    assert "4 check-ins: 2 due, 2 overdue" in result.stdout


def test_overdue_only_and_csv(db: str) -> None:
    result = run(
        db,
        "followups",
        "due",
        "--programme",
        "sample-site",
        "--as-of",
        "2026-09-15",
        "--overdue",
        "--format",
        "csv",
        "--csv-dialect",
        "plain",
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "participant_id,checkpoint_months,due_date,status,counsellor,first_name,last_name,phone,"
        "email,last_contact_date,last_contact_situation,last_contact_channel,attempts_since",
        "HX00115,3,2026-08-12,overdue,,Noël,Gonçalves,,,,,,0",
        "HX00136,1,2026-08-26,overdue,,Maëlys,Le Gall,,,,,,0",
    ]


def test_nothing_due_says_so(db: str) -> None:
    result = run(
        db,
        "followups",
        "due",
        "--programme",
        "sample-site",
        "--as-of",
        "2026-09-15",
        "--counsellor",
        "nobody",
    )
    assert result.exit_code == 0
    assert result.stdout == "No check-in due.\n"


def test_at_risk_without_attendance_is_empty(db: str) -> None:
    result = run(
        db,
        "followups",
        "at-risk",
        "--programme",
        "sample-site",
        "--as-of",
        "2026-09-15",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
