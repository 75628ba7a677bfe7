"""The Cergy site run end to end from its own French workbook, then a month of new contacts.

The workbook (``cergy_book``) holds the same people as the CSV files of
``cergy_data``, on French sheets (Participants, Promotions, Phases, Sorties,
Suivi) with French headers and the site's own ``N° dossier`` and
``Conseiller référent``, mapped in programme.toml's ``[import.columns]``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import cergy_book
import cergy_data
import pytest

from insertion_core.testing import InsertionCli

HERE = Path(__file__).resolve().parents[1]
PROGRAMME = "cergy-pass-numerique"
AS_OF = cergy_data.AS_OF.isoformat()


@pytest.fixture
def book(insertion_cli: InsertionCli, tmp_path: Path) -> InsertionCli:
    counts = cergy_book.write_workbook(tmp_path / "book")
    assert [p.name for p in (tmp_path / "book").iterdir()] == [cergy_book.BOOK]
    insertion_cli("programme", "load", str(HERE / "programme.toml"))
    result = insertion_cli("import", "--programme", PROGRAMME, str(tmp_path / "book"))
    assert counts["phases"] == 196
    for line in (
        "participants: 68 added, 0 updated, 0 unchanged",
        "cohorts: 6 added, 0 updated, 0 unchanged",
        # the 68 first phases were started on enrolment; the sheet gives the same day
        "phases: 128 added, 0 updated, 68 unchanged",
        "exits: 60 added, 0 updated, 0 unchanged",
        "followups: 144 added, 0 updated, 0 unchanged",
    ):
        assert line in result.stdout, result.stdout
    return insertion_cli


def due(cli: InsertionCli, counsellor: str) -> str:
    args = ("followups", "due", "--programme", PROGRAMME, "--as-of", AS_OF)
    return str(cli(*args, "--counsellor", counsellor).stdout)


def completion(cli: InsertionCli) -> tuple[int, int]:
    result = cli("report", "--programme", PROGRAMME, "--as-of", AS_OF, "--format", "json",
                 "--set", "followup", "--min-cell", "0")  # fmt: skip
    rate = json.loads(result.stdout)["indicators"]["checkin_completion_rate"]
    return rate["numerator"], rate["denominator"]


def test_a_counsellors_due_list_says_whom_to_call(book: InsertionCli) -> None:
    listed = due(book, "cergy-b")
    for pid, name, phone in (
        ("CPN-054", "Yanis Nguyen", "06 39 98 00 53"),
        ("CPN-057", "Nolan Diallo", "06 39 98 00 56"),
        ("CPN-060", "Yanis Haddad", "06 39 98 00 59"),
    ):
        assert pid in listed and name in listed and phone in listed, listed
    assert "CPN-051" not in listed  # cergy-a's
    assert "3 check-ins: 0 due, 3 overdue" in listed


def test_this_months_contacts_leave_the_earlier_ones_in_place(
    book: InsertionCli, tmp_path: Path
) -> None:
    before = completion(book)
    assert before == ((48 * 3 - 6) + (10 - 4), 48 * 3 + 10)
    month = tmp_path / "2026-06"
    # a late three-month contact, within the programme's 15 days of grace
    cergy_book.write_contacts(
        month / "contacts juin.xlsx",
        [("CPN-054", dt.date(2026, 6, 19), "employment.digital", "phone")],
    )
    result = book("import", "--programme", PROGRAMME, str(month))
    assert "followups: 1 added, 0 updated, 0 unchanged" in result.stdout, result.stdout
    assert completion(book) == (before[0] + 1, before[1])  # the 144 earlier contacts still count
    listed = due(book, "cergy-b")
    assert "CPN-054" not in listed and "CPN-057" in listed and "CPN-060" in listed
    assert "2 check-ins: 0 due, 2 overdue" in listed
    shown = book("participants", "show", "--programme", PROGRAMME, "CPN-054").stdout
    assert "2026-06-19" in shown, shown


def published(cli: InsertionCli) -> dict[str, Any]:
    result = cli("report", "--programme", PROGRAMME, "--as-of", AS_OF, "--format", "json",
                 "--audience", "public")  # fmt: skip
    document = json.loads(result.stdout)
    return {key: document[key] for key in ("population", "indicators")}


def test_the_published_figures_are_those_of_the_csv_files(
    book: InsertionCli, tmp_path: Path
) -> None:
    csv = InsertionCli(book.pm, f"sqlite:///{tmp_path / 'csv.db'}")
    csv("init")
    csv("programme", "load", str(HERE / "programme.toml"))
    cergy_data.write(tmp_path / "csv")
    csv("import", "--programme", PROGRAMME, str(tmp_path / "csv"))
    assert published(book) == published(csv)
    assert published(book)["population"]["mature"] == 48
