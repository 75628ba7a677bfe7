"""Hostile CSV files from the command line: exit 1, ``file:line: column: problem``, nothing written.

Each test replays an attack of issue 14: an unclosed quote swallowing rows,
a file mixing two encodings, values and identifiers out of bounds, a
header-less file echoing personal data, a named pipe as input.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from insertion_core import DataError
from insertion_core.importing import MAX_PROBLEMS, import_file

from ..fakes import SharedMemoryPlugin
from .conftest import Run, open_workspace, stored_ids, write

HEAD = "participant_id,cohort_id,entry_date,phone\n"


def _refused(run: Run, path: Path, kind: str = "participants") -> list[str]:
    """Import ``path`` through the CLI; it must fail with exit 1 and no traceback."""
    result = run("--programme", "demo", "--kind", kind, str(path))
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    return result.stderr.splitlines()


def test_an_unclosed_quote_is_an_error_at_its_line(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin
) -> None:
    f = write(
        tmp_path / "participants.csv",
        HEAD + 'B1,2024-01,2024-01-08,"06 12\nB2,2024-01,2024-01-08,07\nB3,2024-01,2024-01-08,08\n',
    )
    assert _refused(run, f) == [
        f"{f}:2: cannot read this line as CSV: a quote opened on this line is never closed, "
        "so the rest of the file would be read as one value; close the quote or remove it",
        "Error: 1 problem(s); nothing was written.",
    ]
    assert stored_ids(plugin) == []


def test_a_quote_closed_rows_later_is_one_value_and_only_the_count_shows_it(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin
) -> None:
    """The limit of the rule above: a value spanning lines inside a closed quote is valid CSV.

    A stray quote closing a few rows below swallows those rows into one value, exactly
    like a real multi-line note; only the summary's count tells (docs/integrity.md).
    """
    f = write(
        tmp_path / "participants.csv",
        HEAD + 'B1,2024-01,2024-01-08,"06 12\nB2,2024-01,2024-01-08,07\n'
        'B3,2024-01,2024-01-08,08"\nB4,2024-01,2024-01-08,09\n',
    )
    result = run("--programme", "demo", "--kind", "participants", str(f))
    assert (result.exit_code, result.stdout) == (
        0,
        "participants: 2 added, 0 updated, 0 unchanged\n",
    )
    assert stored_ids(plugin) == ["B1", "B4"]


def test_a_quote_closed_in_the_middle_of_a_value_is_an_error(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD + 'B1,2024-01,2024-01-08,"06 12"34\n')
    assert _refused(run, f)[0] == (
        f"{f}:2: cannot read this line as CSV: a quoted value goes on after its closing quote; "
        'a quote inside a quoted value is written twice ("")'
    )


def test_lines_are_physical_lines_after_a_value_spanning_lines(run: Run, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        HEAD + 'B1,2024-01,2024-01-08,"06\n12\n34"\nB2,2024-01,2024-13-08,07\n',
    )
    assert (
        _refused(run, f)[0] == f"{f}:5: entry_date: '2024-13-08' is not a real day of the calendar"
    )


def test_a_file_mixing_utf8_and_cp1252_is_refused_at_the_first_odd_byte(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin
) -> None:
    f = tmp_path / "participants.csv"
    f.write_bytes(
        b"participant_id,cohort_id,entry_date\n"
        + "Zoé-01,C1,2024-09-09\n".encode()
        + "Hélène-02,C1,2024-09-09\n".encode("cp1252")
    )
    assert _refused(run, f)[0] == (
        f"{f}:3: the file mixes two encodings: line 2 has 'é' in UTF-8, but byte 0xe9 on this "
        "line is not UTF-8 (Windows-1252?); save the whole file again as 'CSV UTF-8'"
    )
    assert stored_ids(plugin) == []


def test_a_cp1252_file_is_still_read_whole(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "participants.csv"
    f.write_bytes("participant_id,cohort_id,entry_date\nHélène-02,C1,2024-09-09\n".encode("cp1252"))
    result = run("--programme", "demo", "--kind", "participants", str(f))
    assert (result.exit_code, result.stdout) == (
        0,
        "participants: 1 added, 0 updated, 0 unchanged\n",
    )


def test_bytes_neither_utf8_nor_cp1252(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "participants.csv"
    f.write_bytes(b"participant_id,cohort_id,entry_date\nP1,C1,2024-09-09\nP\x81,C1,2024-09-09\n")
    assert _refused(run, f)[0] == (
        f"{f}:3: the file is neither UTF-8 nor Windows-1252 text (byte 0x81 on this line); "
        "save it as 'CSV UTF-8'"
    )


def test_a_nul_character_is_refused(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD + "P1,C1,2024-09-09,06\x0012\n")
    assert _refused(run, f)[0] == f"{f}:2: the line holds a NUL character: this is not a text file"


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "G\u041eN-0001",
            "participant_id: 'G\u041eN-0001' mixes Latin and Cyrillic characters (position 2: "
            "U+041E CYRILLIC CAPITAL LETTER O), which look alike; type the identifier again in "
            "one alphabet",
        ),
        (
            "GON\u200b-0001",
            "participant_id: 'GON\\u200b-0001' holds an invisible or control character at "
            "position 4 (U+200B ZERO WIDTH SPACE); type the identifier again",
        ),
        (
            "GON-\x1b]0;PWNED",
            "participant_id: 'GON-\\x1b]0;PWNED' holds an invisible or control character at "
            "position 5 (U+001B unnamed); type the identifier again",
        ),
        (
            '"GON\r\n0001"',
            "participant_id: 'GON\\r\\n0001' holds an invisible or control character at "
            "position 4 (U+000D unnamed); type the identifier again",
        ),
        (
            "GON\u2011 0001",
            "participant_id: 'GON\u2011 0001' holds a dash that is not '-' at position 4 "
            "(U+2011 NON-BREAKING HYPHEN); type '-' instead",
        ),
        (
            "X" * 100_000,
            "participant_id: an identifier of 100,000 characters; at most 100 are allowed",
        ),
    ],
)
def test_look_alike_and_invisible_ids_are_refused(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin, cell: str, message: str
) -> None:
    f = write(tmp_path / "participants.csv", HEAD + f"{cell},C1,2024-09-09,\n")
    assert _refused(run, f)[0] == f"{f}:2: {message}"
    assert stored_ids(plugin) == []


def test_ids_are_nfc_normalised(run: Run, tmp_path: Path, plugin: SharedMemoryPlugin) -> None:
    f = write(tmp_path / "participants.csv", HEAD + "Zoe\u0301-01,C1,2024-09-09,\n")
    assert run("--programme", "demo", "--kind", "participants", str(f)).exit_code == 0
    write(f, HEAD + "Zo\u00e9-01,C1,2024-09-09,\n")
    again = run("--programme", "demo", "--kind", "participants", str(f))
    assert again.stdout == "participants: 0 added, 0 updated, 1 unchanged\n"
    assert stored_ids(plugin) == ["Zo\u00e9-01"]


def test_counsellor_and_qpv_code_are_identifiers(run: Run, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        "participant_id,cohort_id,entry_date,counsellor,qpv_code\nP1,C1,2024-09-09,M\x07,QN\u200b1\n",
    )
    assert [line.split(": ")[1] for line in _refused(run, f)[:2]] == ["qpv_code", "counsellor"]


def test_dates_before_1900_are_refused(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD + "P1,C1,0001-01-08,\n")
    assert _refused(run, f)[0] == (
        f"{f}:2: entry_date: 0001-01-08 is out of range; dates run from 1900-01-01 to 2100-12-31"
    )


def test_cohort_dates_and_capacity_have_bounds(run: Run, tmp_path: Path) -> None:
    f = write(
        tmp_path / "cohorts.csv",
        "cohort_id,start_date,end_date,capacity\n"
        "C1,2025-09-08,9999-12-31,16\n"
        "C2,,,100000000000000000000\n"
        "C3,,,0\n",
    )
    assert _refused(run, f, "cohorts") == [
        f"{f}:2: end_date: 9999-12-31 is out of range; dates run from 1900-01-01 to 2100-12-31",
        f"{f}:3: capacity: '100000000000000000000' is not a whole number from 1 to 100,000",
        f"{f}:4: capacity: '0' is not a whole number from 1 to 100,000",
        "Error: 3 problem(s); nothing was written.",
    ]


def test_contract_months_have_bounds(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "p.csv", HEAD + "P1,C1,2024-09-09,\nP2,C1,2024-09-09,\nP3,C1,2024-09-09,\n")
    assert (
        run("--programme", "demo", "--kind", "participants", str(tmp_path / "p.csv")).exit_code == 0
    )
    f = write(
        tmp_path / "exits.csv",
        "participant_id,exit_date,exit_reason,destination,contract,contract_months\n"
        f"P1,2025-01-31,completed,employment,cdd,{'9' * 401}\n"
        "P2,2025-01-31,completed,employment,cdd,601\n"
        "P3,2025-01-31,completed,employment,cdd,4.1234567\n",
    )
    assert _refused(run, f, "exits")[:3] == [
        f"{f}:2: contract_months: '99999999999999999999'... (401 characters) is not a number "
        "of months above 0 and at most 600",
        f"{f}:3: contract_months: '601' is not a number of months above 0 and at most 600",
        f"{f}:4: contract_months: '4.1234567' has more than 6 decimal places; round it",
    ]


def test_a_headerless_file_does_not_echo_personal_data(run: Run, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        "P1,C1,2024-09-09,Jeanne,Martin,jeanne.martin@example.org,06 12 34 56 78\n"
        "P2,C1,2024-09-09,Paul,Durand,paul@example.org,07 00 00 00 00\n",
    )
    lines = _refused(run, f)
    assert lines == [
        f"{f}:1: this line names none of the columns of participants files: is the header line "
        "missing? The first line must name the columns (participant_id, cohort_id, entry_date, "
        "birth_date, gender, education_level, qpv, qpv_code, status_at_entry, scheme, referrer, "
        "counsellor, first_name, last_name, email, phone); its values are not shown here, as "
        "they may be personal data",
        "Error: 1 problem(s); nothing was written.",
    ]


def test_a_header_cell_that_looks_like_data_is_not_echoed(run: Run, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv",
        "participant_id,cohort_id,entry_date,jeanne@example.org,Durand\nP1,C1,2024-09-09,,\n",
    )
    assert _refused(run, f)[:2] == [
        f"{f}:1: column 4: unknown column, and its name looks like data: is the header line "
        "missing?",
        f"{f}:1: Durand: unknown column; the columns of participants files are participant_id, "
        "cohort_id, entry_date, birth_date, gender, education_level, qpv, qpv_code, "
        "status_at_entry, scheme, referrer, counsellor, first_name, last_name, email, phone "
        "(a column to skip on purpose goes in the programme's import.ignore_columns)",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_hanging(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "participants.csv"
    os.mkfifo(fifo)
    assert _refused(run, fifo) == [
        f"{fifo}: not a regular file (a directory, a named pipe or a device); give a file",
        "Error: 1 problem(s); nothing was written.",
    ]
    # In a directory, a pipe named like a canonical file is refused too, not skipped.
    result = run("--programme", "demo", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{fifo}: not a regular file (a directory, a named pipe or a device); give a file"
    )


def test_a_directory_without_any_canonical_file(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    write(folder / "notes.txt", "nothing to import\n")
    result = run("--programme", "demo", str(folder))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{folder}: no canonical file here (expected some of participants.csv, cohorts.csv, "
        "phases.csv, exits.csv, followups.csv, attendance.csv, or .xlsx)"
    )


def test_too_many_columns(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path / "participants.csv", HEAD + "P1,C1,2024-09-09" + "," * 1100 + "\n")
    assert _refused(run, f)[0] == f"{f}:2: more than 1,024 columns"


def test_a_flood_of_bad_cells_is_counted_not_kept(tmp_path: Path) -> None:
    # 1,000 values in unnamed columns on each of 200 rows: 200,000 problems.
    f = write(
        tmp_path / "participants.csv", HEAD + ("P1,C1,2024-09-09,," + "x," * 1000 + "\n") * 200
    )
    with pytest.raises(DataError) as info:
        import_file(open_workspace(), "demo", "participants", f, today=dt.date(2025, 6, 30))
    assert len(info.value.problems) == MAX_PROBLEMS
    assert info.value.truncated == 200 * 1000 - MAX_PROBLEMS
    assert str(info.value).endswith(f"... and {200 * 1000 - MAX_PROBLEMS} more problems")
