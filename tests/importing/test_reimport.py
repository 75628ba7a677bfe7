"""Re-importing: the same files change nothing; corrected files update what changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from insertion_core import DataError, Workspace
from insertion_core.domain import (
    AttendanceStatus,
    Contract,
    ExitReason,
    HalfDay,
    PersonalData,
    Situation,
)
from insertion_core.domain.situations import Sector
from insertion_core.importing import import_directory, import_file

from ..fakes import CountingStorage
from .conftest import snapshot, write

TODAY = dt.date(2025, 6, 30)

PARTICIPANTS = (
    "participant_id,cohort_id,entry_date,birth_date,education_level,gender,first_name,email\n"
    "P1,C1,2024-09-09,2006-03-01,3,F,Inès,ines@example.org\n"
    "P2,C1,2024-09-09,2005-03-01,none,M,Karim,\n"
)
EXITS = (
    "participant_id,exit_date,exit_reason,destination,contract,contract_months\n"
    "P1,2025-01-31,completed,employment.digital,cdd,6\n"
)
FOLLOWUPS = (
    "participant_id,contact_date,situation,note\n"
    "P1,2025-03-03,employment.digital,en poste\n"
    "P1,2025-03-03,employment.digital,en poste\n"
    "P1,2025-05-05,employment,\n"
)
ATTENDANCE = (
    "participant_id,date,half_day,status,reason\n"
    "P1,2024-09-10,am,present,\n"
    "P1,2024-09-10,pm,absent,rendez-vous médical\n"
    "P2,2024-09-10,,present,\n"
    "P1,2024-09-10,pm,absent,rendez-vous médical\n"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    write(folder / "participants.csv", PARTICIPANTS)
    write(folder / "exits.csv", EXITS)
    write(folder / "followups.csv", FOLLOWUPS)
    write(folder / "attendance.csv", ATTENDANCE)
    write(
        folder / "cohorts.csv",
        "cohort_id,start_date,end_date,capacity\nC1,2024-09-09,2025-01-31,16\n",
    )
    return folder


def test_directory_reads_back(workspace: Workspace, site: Path) -> None:
    summary = import_directory(workspace, "demo", site, today=TODAY)
    assert summary.lines() == [
        "participants: 2 added, 0 updated, 0 unchanged",
        "cohorts: 1 added, 0 updated, 0 unchanged",
        "exits: 1 added, 0 updated, 0 unchanged",
        "followups: 2 added, 0 updated, 0 unchanged",  # the exact duplicate counts once
        "attendance: 3 added, 0 updated, 0 unchanged",  # so does this one
    ]
    p1 = workspace.journey("demo", "P1")
    assert p1.exit is not None
    assert (p1.exit.destination, p1.exit.contract, p1.exit.contract_months) == (
        Situation("employment", Sector.DIGITAL),
        Contract.CDD,
        Decimal(6),
    )
    assert [(c.contact_date, c.note) for c in p1.contacts] == [
        (dt.date(2025, 3, 3), "en poste"),
        (dt.date(2025, 5, 5), None),
    ]
    assert [(a.half_day, a.status, a.reason) for a in p1.attendance] == [
        (HalfDay.AM, AttendanceStatus.PRESENT, None),
        (HalfDay.PM, AttendanceStatus.ABSENT, "rendez-vous médical"),
    ]
    with workspace.storage.unit_of_work() as uow:
        assert uow.personal.get("demo", "P1") == PersonalData(
            "P1", first_name="Inès", email="ines@example.org"
        )
        assert uow.personal.get("demo", "P2") == PersonalData("P2", first_name="Karim")
    # Personal data never reaches the pseudonymous core.
    assert "Inès" not in repr(snapshot(workspace)["journeys"])
    assert "Karim" not in repr([j.participant for j in snapshot(workspace)["journeys"]])


def test_reimport_changes_nothing(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    before = snapshot(workspace)
    storage = workspace.storage
    assert isinstance(storage, CountingStorage)
    commits = storage.commits
    summary = import_directory(workspace, "demo", site, today=TODAY)
    assert summary.lines() == [
        "participants: 0 added, 0 updated, 2 unchanged",
        "cohorts: 0 added, 0 updated, 1 unchanged",
        "exits: 0 added, 0 updated, 1 unchanged",
        "followups: 0 added, 0 updated, 2 unchanged",
        "attendance: 0 added, 0 updated, 3 unchanged",
    ]
    assert not summary.changed
    assert snapshot(workspace) == before
    assert storage.commits == commits + 1


def test_corrected_files_update_what_changed(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    write(
        site / "participants.csv",
        PARTICIPANTS.replace("Karim,", "Karim,karim@example.org").replace(",F,", ",X,"),
    )
    write(
        site / "exits.csv",
        EXITS.replace("completed,employment.digital,cdd,6", "early_positive,employment,cdi,"),
    )
    write(
        site / "followups.csv",
        "participant_id,contact_date,situation\nP1,2025-05-05,employment\nP1,2025-06-01,training\n",
    )
    write(
        site / "attendance.csv",
        ATTENDANCE.replace("pm,absent,rendez-vous médical", "pm,excused,rendez-vous médical"),
    )
    summary = import_directory(workspace, "demo", site, today=TODAY)
    assert summary.lines() == [
        "participants: 0 added, 2 updated, 0 unchanged",
        "cohorts: 0 added, 0 updated, 1 unchanged",
        "exits: 0 added, 1 updated, 0 unchanged",
        "followups: 1 added, 0 updated, 1 unchanged",
        "attendance: 0 added, 1 updated, 2 unchanged",
    ]
    p1 = workspace.journey("demo", "P1")
    assert p1.participant.gender is not None and p1.participant.gender.value == "X"
    assert p1.exit is not None
    assert (p1.exit.reason, p1.exit.contract, p1.exit.contract_months) == (
        ExitReason.EARLY_POSITIVE,
        Contract.CDI,
        None,
    )
    # The contact of 2025-03-03, not in the new file, is kept: an import never removes one.
    assert [c.contact_date for c in p1.contacts] == [
        dt.date(2025, 3, 3),
        dt.date(2025, 5, 5),
        dt.date(2025, 6, 1),
    ]
    assert p1.attendance[1].status is AttendanceStatus.EXCUSED


def test_a_column_left_out_keeps_what_is_stored(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    before = snapshot(workspace)
    f = write(
        site / "less" / "participants.csv",
        "participant_id,cohort_id,entry_date\nP1,C1,2024-09-09\n",
    )
    summary = import_file(workspace, "demo", "participants", f, today=TODAY)
    assert summary.lines() == ["participants: 0 added, 0 updated, 1 unchanged"]
    f = write(
        site / "less" / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2025-01-31,completed,employment.digital\n",
    )
    summary = import_file(workspace, "demo", "exits", f, today=TODAY)
    assert summary.lines() == ["exits: 0 added, 0 updated, 1 unchanged"]
    f = write(
        site / "less" / "attendance.csv",
        "participant_id,date,half_day,status\nP1,2024-09-10,pm,absent\n",
    )
    summary = import_file(workspace, "demo", "attendance", f, today=TODAY)
    assert summary.lines() == ["attendance: 0 added, 0 updated, 1 unchanged"]
    assert snapshot(workspace) == before


def test_an_empty_cell_clears_the_stored_value(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    write(site / "participants.csv", PARTICIPANTS.replace("Inès,ines@example.org", ","))
    summary = import_file(workspace, "demo", "participants", site / "participants.csv", today=TODAY)
    assert summary.lines() == ["participants: 0 added, 1 updated, 1 unchanged"]
    with workspace.storage.unit_of_work() as uow:
        assert uow.personal.get("demo", "P1") is None


def test_changed_entry_date_moves_the_first_phase(tmp_path: Path) -> None:
    from .conftest import PROGRAMME_TOML, open_workspace

    workspace = open_workspace(PROGRAMME_TOML + '\n[[phases]]\nid = "accueil"\nname = "Accueil"\n')
    f = write(tmp_path / "participants.csv", PARTICIPANTS)
    import_file(workspace, "demo", "participants", f, today=TODAY)
    write(f, PARTICIPANTS.replace("P1,C1,2024-09-09", "P1,C1,2024-09-02"))
    import_file(workspace, "demo", "participants", f, today=TODAY)
    journey = workspace.journey("demo", "P1")
    assert journey.participant.entry_date == journey.phases[0].started_on == dt.date(2024, 9, 2)


def test_corrected_entry_must_stay_before_exit_and_attendance(
    workspace: Workspace, site: Path
) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    f = write(
        site / "participants.csv", PARTICIPANTS.replace("P1,C1,2024-09-09", "P1,C1,2025-02-01")
    )
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", f, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{f}:2: entry_date: participant P1 left the programme on 2025-01-31, before this entry",
        f"{f}:2: entry_date: participant P1 has attendance recorded on 2024-09-10, before this entry",
    ]


def test_corrected_exit_after_stored_contacts_needs_the_followups(
    workspace: Workspace, site: Path
) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    f = write(site / "exits.csv", EXITS.replace("2025-01-31", "2025-04-30"))
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "exits", f, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{f}:2: exit_date: participant P1 has a follow-up contact on 2025-03-03, before this exit; "
        "import the corrected followups file with it, with --replace"
    ]
    # The corrected followups alone keep the stored contacts, so the exit is still refused.
    write(
        site / "followups.csv", "participant_id,contact_date,situation\nP1,2025-05-05,employment\n"
    )
    with pytest.raises(DataError):
        import_directory(workspace, "demo", site, today=TODAY)
    # With --replace, the file is authoritative for P1's contacts, and the exit moves.
    import_directory(workspace, "demo", site, today=TODAY, replace=True, confirm_removal=True)
    journey = workspace.journey("demo", "P1")
    assert journey.exit is not None and journey.exit.exit_date == dt.date(2025, 4, 30)


def test_corrected_exit_keeps_the_date_rules(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    f = write(site / "exits.csv", EXITS.replace("2025-01-31", "2024-09-01"))
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "exits", f, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{f}:2: exit_date: participant P1 cannot leave on 2024-09-01, "
        "before entering the programme on 2024-09-09"
    ]


def test_dry_run_writes_nothing(workspace: Workspace, site: Path) -> None:
    summary = import_directory(workspace, "demo", site, today=TODAY, dry_run=True)
    assert summary.dry_run
    assert summary.lines()[0] == "participants: 2 added, 0 updated, 0 unchanged"
    assert snapshot(workspace)["journeys"] == []


def test_a_directory_is_one_transaction(workspace: Workspace, site: Path) -> None:
    write(site / "attendance.csv", ATTENDANCE + "P2,2030-01-01,,present,\n")
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", site, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{site / 'attendance.csv'}:6: date: 2030-01-01 is after the day of import (2025-06-30)"
    ]
    assert snapshot(workspace) == {"journeys": [], "cohorts": [], "personal": []}


def test_directory_needs_canonical_files(workspace: Workspace, tmp_path: Path) -> None:
    write(tmp_path / "README.md", "nothing here")
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", tmp_path, today=TODAY)
    assert str(info.value) == (
        f"{tmp_path}: no canonical file here (expected some of participants.csv, cohorts.csv, "
        "phases.csv, exits.csv, followups.csv, attendance.csv, or .xlsx)"
    )
    write(tmp_path / "Participants.CSV", PARTICIPANTS)
    write(tmp_path / "participants.xlsx", "")
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", tmp_path, today=TODAY)
    assert str(info.value) == (
        f"{tmp_path}: participants is given twice: Participants.CSV and participants.xlsx"
    )


def test_entry_moved_after_an_unchanged_exit_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    write(tmp_path / "participants.csv", PARTICIPANTS)
    write(tmp_path / "exits.csv", EXITS)
    import_directory(workspace, "demo", tmp_path, today=TODAY)
    write(
        tmp_path / "participants.csv", PARTICIPANTS.replace("P1,C1,2024-09-09", "P1,C1,2025-02-03")
    )
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", tmp_path, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'exits.csv'}:2: exit_date: participant P1 cannot leave on 2025-01-31, "
        "before entering the programme on 2025-02-03"
    ]
    (tmp_path / "exits.csv").unlink()
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", tmp_path, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'participants.csv'}:2: entry_date: participant P1 left the programme on "
        "2025-01-31, before this entry"
    ]


def test_journeys_are_saved_in_bulk_when_the_storage_can(workspace: Workspace, site: Path) -> None:
    storage = workspace.storage
    assert isinstance(storage, CountingStorage)
    import_directory(workspace, "demo", site, today=TODAY)
    assert storage.bulk_saves == 1
    bulk = snapshot(workspace)

    from .conftest import open_workspace

    one_by_one = open_workspace()
    assert isinstance(one_by_one.storage, CountingStorage)
    one_by_one.storage.offers_save_many = False
    with one_by_one.storage.unit_of_work() as uow:
        assert not hasattr(uow.journeys, "save_many")
    import_directory(one_by_one, "demo", site, today=TODAY)
    assert one_by_one.storage.bulk_saves == 0
    assert snapshot(one_by_one) == bulk
