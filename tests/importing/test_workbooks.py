"""Workbooks of several sheets: read sheet by sheet, or one sheet named with --sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from insertion_core import DataError, Workspace
from insertion_core.importing import import_directory, import_file

from ..fakes import SharedMemoryPlugin
from .conftest import PROGRAMME_TOML, Run, open_workspace, snapshot, stored_ids, write

TODAY = dt.date(2025, 6, 30)
PARTICIPANTS = [["Identifiant", "Promotion", "Date d'entrée"], ["P1", "C1", "09/09/2024"]]
EXITS = [
    ["Identifiant", "Date de sortie", "Motif de sortie", "Situation à la sortie"],
    ["P1", "01/03/2025", "completed", "employment"],
]


def book(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """A workbook with one sheet per entry, in order."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def test_a_folder_workbook_is_read_sheet_by_sheet(tmp_path: Path) -> None:
    workspace = open_workspace()
    book(
        tmp_path / "site" / "Suivi 2025.xlsx",
        {"Participants": PARTICIPANTS, "Sorties": EXITS, "Notes": [["anything"]]},
    )
    summary = import_directory(workspace, "demo", tmp_path / "site", today=TODAY)
    assert summary.lines() == [
        "participants: 1 added, 0 updated, 0 unchanged",
        "exits: 1 added, 0 updated, 0 unchanged",
    ]
    (journey,) = snapshot(workspace)["journeys"]
    assert journey.exit is not None


def test_import_sheets_maps_a_sheet_name(tmp_path: Path) -> None:
    toml = PROGRAMME_TOML + '\n[import.sheets]\n"Inscrits 2024" = "participants"\n'
    workspace = open_workspace(toml)
    book(tmp_path / "site" / "site.xlsx", {"Inscrits 2024": PARTICIPANTS, "Autre": [["x"]]})
    import_directory(workspace, "demo", tmp_path / "site", today=TODAY)
    assert [j.participant_id for j in snapshot(workspace)["journeys"]] == ["P1"]


def test_import_sheets_naming_an_unknown_kind(tmp_path: Path) -> None:
    toml = PROGRAMME_TOML + '\n[import.sheets]\n"Inscrits" = "inscrits"\n'
    workspace = open_workspace(toml)
    path = book(tmp_path / "site" / "site.xlsx", {"Inscrits": PARTICIPANTS, "Sorties": EXITS})
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", tmp_path / "site", today=TODAY)
    assert str(info.value.problems[0]) == (
        f"{path}: Inscrits: the programme's import.sheets maps this sheet to 'inscrits', which "
        "is not a kind of file (participants, cohorts, phases, exits, followups, attendance)"
    )


def test_a_kind_found_twice_names_both_places(tmp_path: Path) -> None:
    workspace = open_workspace()
    write(tmp_path / "site" / "participants.csv", "participant_id,cohort_id,entry_date\n")
    book(tmp_path / "site" / "site.xlsx", {"Participants": PARTICIPANTS, "Sorties": EXITS})
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", tmp_path / "site", today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'site'}: participants is given twice: "
        "participants.csv and site.xlsx[Participants]"
    ]


def test_a_workbook_of_several_sheets_needs_one_named(workspace: Workspace, tmp_path: Path) -> None:
    path = book(tmp_path / "site.xlsx", {"Participants": PARTICIPANTS, "Sorties": EXITS})
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", path, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{path}: the workbook has 2 sheets ('Participants', 'Sorties'); say which one to read "
        "(insertion import --kind KIND --sheet NAME), or import the folder holding it, where "
        "each sheet named after a kind is read"
    ]


def test_a_sheet_that_is_not_there(workspace: Workspace, tmp_path: Path) -> None:
    path = book(tmp_path / "site.xlsx", {"Participants": PARTICIPANTS, "Sorties": EXITS})
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "exits", path, today=TODAY, sheet="Sortie")
    assert [str(p) for p in info.value.problems] == [
        f"{path}[Sortie]: the workbook has no sheet 'Sortie'; its sheets are "
        "'Participants', 'Sorties'"
    ]


def test_a_sheet_named_for_a_csv_file(workspace: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "participant_id,cohort_id,entry_date\n")
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", path, today=TODAY, sheet="Participants")
    assert [str(p) for p in info.value.problems] == [
        f"{path}[Participants]: a sheet ('Participants') is named, but this is not an "
        ".xlsx workbook"
    ]


def test_cli_sheet_picks_one_sheet(run: Run, plugin: SharedMemoryPlugin, tmp_path: Path) -> None:
    path = book(tmp_path / "site.xlsx", {"Sorties": EXITS, "Participants": PARTICIPANTS})
    result = run(
        "--programme", "demo", "--kind", "participants", "--sheet", "Participants", str(path)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "participants: 1 added, 0 updated, 0 unchanged\n"
    assert stored_ids(plugin) == ["P1"]


def test_cli_sheet_needs_kind(run: Run, tmp_path: Path) -> None:
    book(tmp_path / "site" / "site.xlsx", {"Participants": PARTICIPANTS})
    result = run("--programme", "demo", "--sheet", "Participants", str(tmp_path / "site"))
    assert result.exit_code == 2
    assert "--sheet picks one sheet of a workbook: say what it holds with --kind" in result.stderr


def test_cli_a_workbook_of_several_sheets_without_sheet(run: Run, tmp_path: Path) -> None:
    path = book(tmp_path / "site.xlsx", {"Participants": PARTICIPANTS, "Sorties": EXITS})
    result = run("--programme", "demo", "--kind", "participants", str(path))
    assert result.exit_code == 1
    assert "the workbook has 2 sheets ('Participants', 'Sorties'); say which one" in result.stderr


def test_a_french_workbook_with_its_own_headers_and_phases_end_to_end(tmp_path: Path) -> None:
    toml = (
        PROGRAMME_TOML.replace(
            "[eligibility]",
            '[[phases]]\nid = "accueil"\nname = "Accueil"\n\n'
            '[[phases]]\nid = "stage"\nname = "Stage"\n\n[eligibility]',
        )
        + '\n[import.columns]\n"N° dossier" = "participant_id"\n'
    )
    workspace = open_workspace(toml)
    book(
        tmp_path / "site" / "Suivi jeunes.xlsx",
        {
            "Participants": [
                ["N° dossier", "Promotion", "Date d'entrée"],
                ["P1", "C1", "09/09/2024"],
            ],
            "Phases": [["N° dossier", "Phase", "Date de début"], ["P1", "stage", "02/12/2024"]],
            "Sorties": EXITS,
        },
    )
    summary = import_directory(workspace, "demo", tmp_path / "site", today=TODAY)
    assert summary.lines() == [
        "participants: 1 added, 0 updated, 0 unchanged",
        "phases: 1 added, 0 updated, 0 unchanged",
        "exits: 1 added, 0 updated, 0 unchanged",
    ]
    (journey,) = snapshot(workspace)["journeys"]
    assert [p.phase_id for p in journey.phases] == ["accueil", "stage"]


def test_a_cohort_id_excel_made_a_date_in_a_workbook(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        PARTICIPANTS[0],
        ["P1", "C1", "09/09/2024"],
        ["P2", dt.datetime(2024, 9, 1), "09/09/2024"],
    ]
    path = book(tmp_path / "participants.xlsx", {"Participants": rows})
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", path, today=TODAY)
    assert str(info.value.problems[0]).startswith(
        f"{path}:3: cohort_id: '2024-09-01' is a date, where the other identifiers"
    )
