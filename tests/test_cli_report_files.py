"""``insertion report --format csv|xlsx`` and ``followups due --format csv``: dialects and files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from insertion_core.cli import make_cli
from insertion_core.plugins import get_plugin_manager

from .paths import SAMPLE_SITE

WINDOW = ["--as-of", "2026-11-25", "--from", "2021-01-01", "--to", "2026-12-31", "--min-cell", "0"]
REPORT = ["report", "--programme", "sample-site", *WINDOW]
DUE = ["followups", "due", "--programme", "sample-site", "--as-of", "2026-09-15", "--overdue"]


def run(db: str, *args: str) -> Result:
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def load(url: str, programme: str) -> None:
    assert run(url, "programme", "load", programme).exit_code == 0


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('files') / 'sample.db'}"
    assert run(url, "init").exit_code == 0
    load(url, str(SAMPLE_SITE / "programme.toml"))
    imported = run(url, "import", "--programme", "sample-site", str(SAMPLE_SITE))
    assert imported.exit_code == 0, imported.stderr
    return url


def test_csv_is_in_the_locale_dialect_by_default(db: str) -> None:
    result = run(db, *REPORT, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("\ufeffrépartition;groupe;indicateur;code;")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    row = next(r for r in rows if r["code"] == "remobilisation_rate")
    assert row["taux (%)"] == "81,6" and row["statut taux"] == "affiché"


def test_csv_dialect_plain_gives_rfc_4180_at_full_precision(db: str) -> None:
    result = run(db, *REPORT, "--format", "csv", "--csv-dialect", "plain")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    row = next(r for r in rows if r["indicator"] == "remobilisation_rate")
    assert row["value"] == str(111 / 136)
    assert row["numerator_status"] == "shown"


def test_an_unknown_csv_dialect_is_a_usage_error(db: str) -> None:
    result = run(db, *REPORT, "--format", "csv", "--csv-dialect", "excel")
    assert result.exit_code == 2
    assert "Invalid value for '--csv-dialect': 'excel' is not one of 'locale', 'plain'" in (
        result.stderr
    )


def test_the_programme_sets_the_default_dialect(db: str, tmp_path: Path) -> None:
    text = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
    assert "[reporting]" in text
    plain = tmp_path / "programme.toml"
    plain.write_text(text.replace("[reporting]", '[reporting]\ncsv_dialect = "plain"'), "utf-8")
    load(db, str(plain))
    try:
        assert run(db, *REPORT, "--format", "csv").stdout.startswith("breakdown,group,")
        locale = run(db, *REPORT, "--format", "csv", "--csv-dialect", "locale").stdout
        assert locale.startswith("\ufeffrépartition;")
        assert run(db, *DUE, "--format", "csv").stdout.startswith("participant_id,")
    finally:
        load(db, str(SAMPLE_SITE / "programme.toml"))


def test_due_check_ins_as_french_csv(db: str) -> None:
    result = run(db, *DUE, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header == (
        "\ufeffparticipant_id;checkpoint_months;due_date;status;counsellor;first_name;last_name;"
        "phone;email;last_contact_date;last_contact_situation;last_contact_channel;attempts_since"
    )
    assert [row.split(";")[:5] for row in rows] == [
        ["HX00115", "3", "12/08/2026", "overdue", ""],
        ["HX00136", "1", "26/08/2026", "overdue", ""],
    ]


def test_xlsx_is_written_to_a_file(db: str, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "report.xlsx"
    result = run(db, *REPORT, "--by", "gender", "--format", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert f"Written to {target}" in result.stderr
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "Rapport" and "Répartition par genre" in book.sheetnames


def test_xlsx_to_standard_output_is_the_bytes_of_the_workbook(db: str) -> None:
    result = run(db, *REPORT, "--format", "xlsx")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"PK\x03\x04")
