"""Every rule of the importer, checked by the exact ``file:line: column: problem`` it prints.

Each test also checks that a refused file wrote nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from insertion_core import DataError, Workspace
from insertion_core.importing import Kind, import_file

from .conftest import snapshot, write

TODAY = dt.date(2025, 6, 30)
HEAD = "participant_id,cohort_id,entry_date,birth_date,education_level\n"
P1 = "P1,C1,2024-09-09,2006-03-01,3\n"


def problems(workspace: Workspace, kind: Kind, path: Path) -> list[str]:
    """The problems an import of ``path`` reports; fails unless it was refused whole."""
    before = snapshot(workspace)
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", kind, path, today=TODAY)
    assert snapshot(workspace) == before
    return [str(p) for p in info.value.problems]


def enrol(workspace: Workspace, tmp_path: Path, rows: str = P1) -> None:
    """Import participants (and nothing else) as the ground for other files."""
    path = write(tmp_path / "base" / "participants.csv", HEAD + rows)
    import_file(workspace, "demo", "participants", path, today=TODAY)


# Columns


def test_unknown_column_is_named(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", "participant_id,cohort_id,entry_date,Remarques\n")
    assert problems(workspace, "participants", f) == [
        f"{f}:1: Remarques: unknown column; the columns of participants files are "
        "participant_id, cohort_id, entry_date, birth_date, gender, education_level, qpv, "
        "qpv_code, status_at_entry, scheme, referrer, counsellor, first_name, last_name, "
        "email, phone (a column to skip on purpose goes in the programme's import.ignore_columns)"
    ]


def test_ignored_column_is_skipped_and_never_stored(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "p.csv", "participant_id,cohort_id,entry_date, commentaires \n")
    (tmp_path / "p.csv").write_text(
        "participant_id,cohort_id,entry_date, commentaires \nP1,C1,2024-09-09,Très motivée\n"
    )
    import_file(workspace, "demo", "participants", f, today=TODAY)
    assert "Très motivée" not in repr(snapshot(workspace))
    assert [j.participant_id for j in snapshot(workspace)["journeys"]] == ["P1"]


def test_missing_required_column(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", "participant_id,cohort_id\nP1,C1\n")
    assert problems(workspace, "participants", f) == [
        f"{f}:1: entry_date: required column is missing"
    ]


def test_column_given_twice(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", "participant_id,cohort_id,entry_date,Cohort ID\n")
    assert problems(workspace, "participants", f) == [
        f"{f}:1: Cohort ID: this column appears twice (columns 2 and 4)"
    ]


def test_header_case_and_spaces_are_forgiven(workspace: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        " Participant ID ;COHORT_ID;Entry\u00a0Date\u00a0;Birth  date\nP1;C1;9/9/2024;1/3/2006\n",
    )
    summary = import_file(workspace, "demo", "participants", f, today=TODAY)
    assert summary.lines() == ["participants: 1 added, 0 updated, 0 unchanged"]
    participant = snapshot(workspace)["journeys"][0].participant
    assert (participant.entry_date, participant.birth_date) == (
        dt.date(2024, 9, 9),
        dt.date(2006, 3, 1),
    )


def test_value_under_a_column_without_name(workspace: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        "participant_id,cohort_id,entry_date,\n" + "P1,C1,2024-09-09,\nP2,C1,2024-09-09,x,y\n",
    )
    assert problems(workspace, "participants", f) == [
        f"{f}:3: column 4: a value in a column that has no name",
        f"{f}:3: column 5: a value in a column that has no name",
    ]


# Values


def test_unknown_codes_name_row_and_column(workspace: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        "participant_id,cohort_id,entry_date,gender,qpv,scheme\nP1,C1,2024-09-09,Z,peut-être,CEJ\n",
    )
    assert problems(workspace, "participants", f) == [
        f"{f}:2: gender: unknown value 'Z', expected one of: F, M, X",
        f"{f}:2: qpv: unknown yes/no value 'peut-être', "
        "expected oui/non, yes/no, vrai/faux, true/false, 1/0",
    ]


def test_unknown_situation_code(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path)
    f = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\n"
        "P1,2025-01-31,completed,job.digital\n"
        "P1,2025-01-31,finished,training.web\n",
    )
    assert problems(workspace, "exits", f) == [
        f"{f}:2: destination: unknown situation family 'job', expected one of: civic_service, "
        "employment, inactive, job_search, other, training, unreachable",
        f"{f}:3: exit_reason: unknown value 'finished', expected one of: "
        "completed, early_positive, dropout, other, neutralised",
        f"{f}:3: destination: unknown sector 'web' in situation 'training.web', "
        "expected digital or other",
    ]


def test_required_value_missing(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD + P1 + "P2,C1,\u00a0 ,,\n")
    assert problems(workspace, "participants", f) == [
        f"{f}:3: entry_date: required value is missing"
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "09/09/24",
            "'09/09/24' has a two-digit year, which is ambiguous; write the year in full (D/M/YYYY)",
        ),
        (
            "45544",
            "'45544' looks like an Excel serial day number (day 45544 is 2024-09-09), not a date; "
            "format the column as a date (YYYY-MM-DD or D/M/YYYY) before saving",
        ),
        ("31/02/2024", "'31/02/2024' is not a real day of the calendar"),
        ("Sept 2024", "'Sept 2024' is not a date; expected YYYY-MM-DD or D/M/YYYY"),
        ("2024/09/09", "'2024/09/09' is not a date; expected YYYY-MM-DD or D/M/YYYY"),
    ],
)
def test_refused_dates_say_why(
    workspace: Workspace, tmp_path: Path, written: str, message: str
) -> None:
    f = write(tmp_path / "participants.csv", HEAD + f"P1,C1,{written},,\n")
    assert problems(workspace, "participants", f) == [f"{f}:2: entry_date: {message}"]


@pytest.mark.parametrize("written", ["2025-07-01", "1/7/2025 00:00"])
def test_a_fact_after_the_day_of_import_is_refused(
    workspace: Workspace, tmp_path: Path, written: str
) -> None:
    # Only the entry date may lie ahead (a planned entrant); a birth date may not.
    f = write(tmp_path / "participants.csv", HEAD + f"P1,C1,2025-09-01,{written},\n")
    assert problems(workspace, "participants", f) == [
        f"{f}:2: birth_date: 2025-07-01 is after the day of import (2025-06-30)"
    ]


def test_scientific_notation_id_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD.replace(",", ";") + "1,23E+11;C1;9/9/2024;;\n")
    assert problems(workspace, "participants", f) == [
        f"{f}:2: participant_id: '1,23E+11' is an identifier that Excel turned into scientific "
        "notation, so its digits are lost; format the column as text and type the identifiers again"
    ]


def test_ids_are_text(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path, "007,C1,2024-09-09,2006-03-01,3\n7,C1,2024-09-09,2006-03-01,3\n")
    assert [j.participant_id for j in snapshot(workspace)["journeys"]] == ["007", "7"]


def test_numbers(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path, P1 + "P2,C1,2024-09-09,2006-03-01,3\n")
    f = write(
        tmp_path / "exits.csv",
        "participant_id;exit_date;exit_reason;destination;contract;contract_months\n"
        "P1;31/01/2025;completed;employment;cdd;4,5\n"
        "P2;31/01/2025;completed;employment;cdd;quatre\n"
        "P2;31/01/2025;completed;employment;cdd;0\n",
    )
    assert problems(workspace, "exits", f) == [
        f"{f}:3: contract_months: 'quatre' is not a number",
        f"{f}:4: contract_months: '0' is not a number of months above 0 and at most 600",
    ]
    write(
        f,
        "participant_id;exit_date;exit_reason;destination;contract;contract_months\n"
        "P1;31/01/2025;completed;employment;cdd;4,5\n",
    )
    import_file(workspace, "demo", "exits", f, today=TODAY)
    exit_ = snapshot(workspace)["journeys"][0].exit
    assert exit_ is not None and str(exit_.contract_months) == "4.5"


def test_cohort_rules(workspace: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "cohorts.csv",
        "cohort_id,start_date,end_date,capacity\n"
        "C1,2025-09-08,2026-02-06,16\n"
        "C2,2025-09-08,2025-02-06,16\n"
        "C3,,,douze\n"
        "C1,,,\n",
    )
    assert problems(workspace, "cohorts", f) == [
        f"{f}:3: end_date: the cohort ends on 2025-02-06, before it starts on 2025-09-08",
        f"{f}:4: capacity: 'douze' is not a number",
        f"{f}:5: cohort_id: cohort C1 is already on line 2",
    ]


def test_birth_after_entry(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD + "P1,C1,2024-09-09,2024-09-10,\n")
    assert problems(workspace, "participants", f) == [
        f"{f}:2: birth_date: born on 2024-09-10, not before the entry date 2024-09-09"
    ]


# Repeated rows within one file


def test_participant_twice_in_one_file(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD + P1 + P1)
    assert problems(workspace, "participants", f) == [
        f"{f}:3: participant_id: participant P1 is already on line 2"
    ]


def test_second_exit_row_in_one_file(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path)
    f = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\n"
        "P1,2025-01-31,completed,training\n"
        "P1,2025-01-31,completed,training\n",
    )
    assert problems(workspace, "exits", f) == [
        f"{f}:3: participant_id: a second exit row for participant P1 (the first is on line 2); "
        "a participant leaves only once"
    ]


def test_conflicting_attendance_rows(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path)
    f = write(
        tmp_path / "attendance.csv",
        "participant_id,date,half_day,status\n"
        "P1,2024-09-10,am,present\n"
        "P1,2024-09-10,am,present\n"
        "P1,2024-09-10,AM,absent\n",
    )
    assert problems(workspace, "attendance", f) == [
        f"{f}:4: date: participant P1 already has an attendance row for 2024-09-10 am on line 2, "
        "which says otherwise"
    ]


def test_exact_repeats_count_once_and_a_conflict_is_checked_against_the_first_row(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Repeated rows are found once the file is staged; only the first of a key is kept."""
    enrol(workspace, tmp_path)
    f = write(
        tmp_path / "attendance.csv",
        "participant_id,date,half_day,status\n"
        "P1,2024-09-10,am,present\n"
        "P1,2024-09-11,,absent\n"
        "P1,2024-09-10,AM,present\n"
        "P1,2024-09-10,am,present\n",
    )
    summary = import_file(workspace, "demo", "attendance", f, today=TODAY)
    assert summary.lines() == ["attendance: 2 added, 0 updated, 0 unchanged"]
    cohorts = write(tmp_path / "cohorts.csv", "cohort_id,capacity\nC1,10\nC2,5\nC1,12\nC1,10\n")
    assert problems(workspace, "cohorts", cohorts) == [
        f"{cohorts}:4: cohort_id: cohort C1 is already on line 2",
        f"{cohorts}:5: cohort_id: cohort C1 is already on line 2",
    ]


# Lifecycle rules


def test_exit_before_entry(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path)
    f = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2024-09-01,dropout,job_search\n",
    )
    assert problems(workspace, "exits", f) == [
        f"{f}:2: exit_date: participant P1 cannot leave on 2024-09-01, "
        "before entering the programme on 2024-09-09"
    ]


def test_exit_for_unknown_participant(workspace: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP9,2024-09-01,dropout,job_search\n",
    )
    assert problems(workspace, "exits", f) == [
        f"{f}:2: participant_id: participant P9 is not in programme demo; "
        "a participant is enrolled through participants.csv first"
    ]


def test_contacts_need_an_exit_before_them(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path, P1 + "P2,C1,2024-09-09,2006-03-01,3\n")
    exits = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2025-01-31,completed,training\n",
    )
    import_file(workspace, "demo", "exits", exits, today=TODAY)
    f = write(
        tmp_path / "followups.csv",
        "participant_id,contact_date,situation\n"
        "P1,2025-03-01,employment\n"
        "P1,2025-01-30,training\n"
        "P2,2025-03-01,employment\n",
    )
    assert problems(workspace, "followups", f) == [
        f"{f}:3: contact_date: participant P1: a follow-up contact on 2025-01-30 is before "
        "their exit on 2025-01-31",
        f"{f}:4: participant_id: participant P2 has no exit: a follow-up contact comes after the exit",
    ]


def test_attendance_outside_entry_and_exit(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path)
    exits = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2025-01-31,completed,training\n",
    )
    import_file(workspace, "demo", "exits", exits, today=TODAY)
    f = write(
        tmp_path / "attendance.csv",
        "participant_id,date,status\nP1,2024-09-08,present\nP1,2024-09-09,present\n"
        "P1,2025-02-01,absent\n",
    )
    assert problems(workspace, "attendance", f) == [
        f"{f}:2: date: participant P1: attendance on 2024-09-08 is before their entry on 2024-09-09",
        f"{f}:4: date: participant P1: attendance on 2025-02-01 is after their exit on 2025-01-31",
    ]


def test_eligibility_failures_name_the_rule(workspace: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        HEAD + P1 + "P2,C1,2024-09-09,2009-09-10,3\nP3,C1,2024-09-09,2000-01-01,5\n",
    )
    assert problems(workspace, "participants", f) == [
        f"{f}:3: birth_date: participant P2 is not eligible: min_age: aged 14 on entry, "
        "the minimum is 16",
        f"{f}:4: education_level: participant P3 is not eligible: max_education_level: "
        "education level 5 is above the maximum 4",
    ]


def test_undecidable_eligibility_is_a_warning(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD + "P1,C1,2024-09-09,,\n")
    summary = import_file(workspace, "demo", "participants", f, today=TODAY)
    assert summary.warnings == (
        f"{f}:2: birth_date: warning: participant P1: min_age: no birth date, "
        "so the minimum age was not checked",
        f"{f}:2: birth_date: warning: participant P1: max_age: no birth date, "
        "so the maximum age was not checked",
        f"{f}:2: education_level: warning: participant P1: max_education_level: "
        "no education level, so the maximum level was not checked",
    )
    assert len(snapshot(workspace)["journeys"]) == 1


# Reporting


def test_every_problem_is_reported_up_to_a_limit(workspace: Workspace, tmp_path: Path) -> None:
    rows = "".join(f"P{n},C1,2024-13-{n % 28 + 1:02d},,\n" for n in range(150))
    f = write(tmp_path / "participants.csv", HEAD + rows)
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", f, today=TODAY)
    assert len(info.value.problems) == 100
    assert info.value.truncated == 50
    assert str(info.value.problems[99]) == (
        f"{f}:101: entry_date: '2024-13-16' is not a real day of the calendar"
    )
    assert str(info.value).splitlines()[-1] == "... and 50 more problems"


def test_lines_are_physical_lines(workspace: Workspace, tmp_path: Path) -> None:
    enrol(workspace, tmp_path)
    exits = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2025-01-31,completed,training\n",
    )
    import_file(workspace, "demo", "exits", exits, today=TODAY)
    f = write(
        tmp_path / "followups.csv",
        "sep=,\r\n"
        "participant_id,contact_date,situation,note\r\n"
        ",,,\r\n"
        'P1,2025-03-01,employment,"called,\r\nleft a message"\r\n'
        ",, ,\u00a0\r\n"
        "P1,2025-03-02,employed,\r\n",
    )
    assert problems(workspace, "followups", f) == [
        f"{f}:7: situation: unknown situation family 'employed', expected one of: civic_service, "
        "employment, inactive, job_search, other, training, unreachable",
    ]


def test_unreadable_bytes(workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "participants.csv"
    f.write_bytes(HEAD.encode() + b"P1,C1,2024-09-09,\x81,\n")
    assert problems(workspace, "participants", f) == [
        f"{f}:2: the file is neither UTF-8 nor Windows-1252 text (byte 0x81 on this line); "
        "save it as 'CSV UTF-8'"
    ]


def test_empty_file(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", "\ufeff\r\n;;;\r\n")
    assert problems(workspace, "participants", f) == [
        f"{f}: the file is empty: expected a header line naming the columns"
    ]


def test_unknown_column_and_bad_rows_are_all_reported(workspace: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        "participant_id,cohort_id,entry_date,Remarques\nP1,C1,2024-09-99,x\n",
    )
    assert [p.split(": ")[1] for p in problems(workspace, "participants", f)] == [
        "Remarques",
        "entry_date",
    ]


def test_an_unreadable_file_is_not_also_reported_through_others(
    workspace: Workspace, tmp_path: Path
) -> None:
    from insertion_core.importing import import_directory

    write(tmp_path / "participants.csv", "participant_id,cohort_id\nP1,C1\n")
    write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2025-01-31,completed,training\n",
    )
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", tmp_path, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'participants.csv'}:1: entry_date: required column is missing"
    ]
