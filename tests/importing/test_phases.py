"""phases.csv: the day each participant started each phase, in the programme's order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from insertion_core import DataError, Workspace
from insertion_core.importing import import_directory, import_file

from .conftest import PROGRAMME_TOML, open_workspace, snapshot, write

TODAY = dt.date(2025, 6, 30)
PHASED = PROGRAMME_TOML.replace(
    "[eligibility]",
    '[[phases]]\nid = "accueil"\nname = "Accueil"\n\n'
    '[[phases]]\nid = "formation"\nname = "Formation"\n\n'
    '[[phases]]\nid = "stage"\nname = "Stage"\n\n[eligibility]',
)
PARTICIPANTS = "participant_id,cohort_id,entry_date\nP1,C1,2024-09-09\nP2,C1,2024-09-09\n"
HEAD = "participant_id,phase,start_date\n"


@pytest.fixture
def phased(tmp_path: Path) -> Workspace:
    workspace = open_workspace(PHASED)
    path = write(tmp_path / "base" / "participants.csv", PARTICIPANTS)
    import_file(workspace, "demo", "participants", path, today=TODAY)
    return workspace


def phases_of(workspace: Workspace, pid: str) -> list[tuple[str, str]]:
    (journey,) = [j for j in snapshot(workspace)["journeys"] if j.participant_id == pid]
    return [(p.phase_id, p.started_on.isoformat()) for p in journey.phases]


def refused(workspace: Workspace, path: Path) -> list[str]:
    before = snapshot(workspace)
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "phases", path, today=TODAY)
    assert snapshot(workspace) == before
    return [str(p) for p in info.value.problems]


def test_phases_are_recorded_and_reimport_changes_nothing(
    phased: Workspace, tmp_path: Path
) -> None:
    f = write(
        tmp_path / "phases.csv",
        HEAD + "P1,formation,2024-10-01\nP1,stage,2025-01-06\nP2,formation,2024-10-01\n",
    )
    summary = import_file(phased, "demo", "phases", f, today=TODAY)
    assert (summary.counts["phases"].added, summary.counts["phases"].unchanged) == (3, 0)
    assert phases_of(phased, "P1") == [
        ("accueil", "2024-09-09"),
        ("formation", "2024-10-01"),
        ("stage", "2025-01-06"),
    ]
    before = snapshot(phased)
    again = import_file(phased, "demo", "phases", f, today=TODAY)
    assert (again.counts["phases"].added, again.counts["phases"].unchanged) == (0, 3)
    assert snapshot(phased) == before


def test_a_corrected_start_date_updates_the_phase(phased: Workspace, tmp_path: Path) -> None:
    write(tmp_path / "phases.csv", HEAD + "P1,formation,2024-10-01\n")
    import_file(phased, "demo", "phases", tmp_path / "phases.csv", today=TODAY)
    write(tmp_path / "phases.csv", HEAD + "P1,formation,2024-10-08\n")
    summary = import_file(phased, "demo", "phases", tmp_path / "phases.csv", today=TODAY)
    assert summary.counts["phases"].updated == 1
    assert phases_of(phased, "P1")[1] == ("formation", "2024-10-08")


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            "P1,stages,2024-10-01\n",
            "2: phase: unknown phase 'stages'; the phases of programme demo are "
            "accueil, formation, stage",
        ),
        (
            "P1,stage,2024-10-01\n",
            "2: start_date: participant P1 starts phase stage without having started "
            "formation, which comes before it; add a row for formation",
        ),
        (
            "P1,stage,2024-10-01\nP1,formation,2024-11-01\n",
            "2: start_date: participant P1 cannot start phase stage on 2024-10-01, before the "
            "previous phase formation started on 2024-11-01; phases go in the programme's order",
        ),
        (
            "P1,accueil,2024-09-01\n",
            "2: start_date: participant P1 cannot start phase accueil on 2024-09-01, "
            "before entering the programme on 2024-09-09",
        ),
        (
            "P9,formation,2024-10-01\n",
            "2: participant_id: participant P9 is not in programme demo; "
            "a participant is enrolled through participants.csv first",
        ),
        (
            "P1,formation,2024-10-01\nP1,formation,2024-10-02\n",
            "3: phase: phase formation of participant P1 is already on line 2",
        ),
    ],
)
def test_rules_of_the_phases(phased: Workspace, tmp_path: Path, rows: str, problem: str) -> None:
    f = write(tmp_path / "phases.csv", HEAD + rows)
    assert refused(phased, f) == [f"{f}:{problem}"]


def test_a_phase_after_the_exit(phased: Workspace, tmp_path: Path) -> None:
    exits = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2024-12-20,completed,employment\n",
    )
    import_file(phased, "demo", "exits", exits, today=TODAY)
    f = write(tmp_path / "phases.csv", HEAD + "P1,formation,2025-01-06\n")
    assert refused(phased, f) == [
        f"{f}:2: start_date: participant P1 cannot start phase formation on 2025-01-06, "
        "after leaving the programme on 2024-12-20"
    ]


def test_french_headers_and_a_folder_read_phases_after_participants(tmp_path: Path) -> None:
    workspace = open_workspace(PHASED)
    write(tmp_path / "in" / "participants.csv", PARTICIPANTS)
    write(
        tmp_path / "in" / "phases.csv",
        "Identifiant;Phase;Date de début\nP2;formation;01/10/2024\n",
    )
    import_directory(workspace, "demo", tmp_path / "in", today=TODAY)
    assert phases_of(workspace, "P2") == [("accueil", "2024-09-09"), ("formation", "2024-10-01")]
