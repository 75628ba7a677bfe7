"""Reading what spreadsheets write: encodings, delimiters, the sep= line, xlsx workbooks."""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insertion_core import DataError, Workspace
from insertion_core.importing import import_file
from insertion_core.importing.decoding import DecodingError, decode, sniff_delimiter
from insertion_core.importing.rows import read_table
from insertion_core.importing.values import clean, parse_date, parse_decimal, parse_id

from .conftest import snapshot

TODAY = dt.date(2025, 6, 30)


def opener(data: bytes) -> Callable[[], BinaryIO]:
    """The bytes as a file opened afresh for each pass of the reader."""
    return lambda: io.BytesIO(data)


TEXT = "participant_id;cohort_id;entry_date;first_name\r\nP1;C1;09/09/2024;Thérèse Œuvray\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    decoded = decode(opener(data))
    assert ("".join(decoded.lines()), decoded.encoding, decoded.delimiter) == (TEXT, encoding, ";")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("line", ["sep=;", '"sep=;"', "SEP=;"])
def test_sep_line_is_honoured(bom: bytes, line: str) -> None:
    # The header alone would be sniffed as ',' (two commas, one semicolon).
    decoded = decode(opener(bom + f"{line}\r\nparticipant_id;note\r\nP1;a,b,c\r\n".encode()))
    assert decoded.delimiter == ";"
    assert decoded.first_line == 2
    assert next(decoded.lines()) == "participant_id;note\r\n"


def test_delimiter_is_sniffed_outside_quotes() -> None:
    assert sniff_delimiter('"a;b;c",d,e') == ","
    assert sniff_delimiter('"a,b,c";d;e') == ";"
    assert sniff_delimiter("participant_id") == ","


def test_utf16_is_refused_with_advice() -> None:
    with pytest.raises(DecodingError, match="UTF-16"):
        decode(opener("participant_id\r\n".encode("utf-16")))


def test_utf8_bom_with_bad_bytes_names_the_line() -> None:
    with pytest.raises(DecodingError) as info:
        decode(opener(b"\xef\xbb\xbfa,b\r\n1,\xe9\r\n"))
    assert info.value.line == 2
    assert str(info.value) == (
        "the file starts with a UTF-8 byte-order mark but byte 0xe9 is not UTF-8; "
        "save it again as 'CSV UTF-8'"
    )


def test_values_are_trimmed_of_spaces_and_nbsp() -> None:
    assert clean("\u00a0 P1 \u202f\t") == "P1"
    assert clean("\ufeffparticipant_id") == "participant_id"


def test_dates() -> None:
    assert parse_date("2024-09-09") == dt.date(2024, 9, 9)
    assert parse_date("9/9/2024") == dt.date(2024, 9, 9)
    assert parse_date("09/09/2024 00:00:00") == dt.date(2024, 9, 9)
    assert parse_date("2024-09-09T13:45") == dt.date(2024, 9, 9)
    assert parse_date("2025-06-30", TODAY) == TODAY
    with pytest.raises(ValueError, match="after the day of import"):
        parse_date("2025-07-01", TODAY)


def test_ids_and_numbers() -> None:
    assert parse_id("1E5") == "1E5"  # Excel always writes a sign: this is a real id
    with pytest.raises(ValueError, match="scientific notation"):
        parse_id("1.23E+11")
    assert parse_decimal("4,5") == parse_decimal("4.5")
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal("1 234")


def test_rows_skip_empty_lines_and_keep_physical_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b'sep=;\r\n\r\na;b\r\n;\r\n"x\r\ny";2\r\n \xa0;\r\nz;3\r\n')
    table = read_table(path)
    assert (table.header_line, table.header) == (3, ("a", "b"))
    assert [(r.line, r.values) for r in table.rows] == [(5, ("x\r\ny", "2")), (8, ("z", "3"))]


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_one_sheet(workspace: Workspace, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "participants.xlsx",
        [
            ["Participant ID", "cohort_id", "entry_date", "birth_date", "education_level"],
            [12345678901234, "C1", dt.datetime(2024, 9, 9, 0, 0), "01/03/2006", 3],
            [None, None, None, None, None],
            ["P2", "C1", dt.date(2024, 9, 9), dt.date(2006, 3, 1), "none"],
        ],
    )
    summary = import_file(workspace, "demo", "participants", path, today=TODAY)
    assert summary.lines() == ["participants: 2 added, 0 updated, 0 unchanged"]
    journeys = snapshot(workspace)["journeys"]
    assert [j.participant_id for j in journeys] == ["12345678901234", "P2"]
    assert journeys[0].participant.entry_date == dt.date(2024, 9, 9)


def test_xlsx_problems_name_the_row_number(workspace: Workspace, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "participants.xlsx",
        [
            ["participant_id", "cohort_id", "entry_date"],
            [None, None, None],
            ["P1", "C1", 45544],
        ],
    )
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", path, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:3: entry_date: '45544' looks like an Excel serial day number "
        "(day 45544 is 2024-09-09), not a date; format the column as a date "
        "(YYYY-MM-DD or D/M/YYYY) before saving"
    ]


def test_xlsx_without_openpyxl(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "participants.xlsx", [["participant_id"]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # makes 'import openpyxl' fail
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", path, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{path}: reading .xlsx files needs openpyxl, which is not installed; "
        "install it with: pip install 'insertion-core[xlsx]' (or save the sheet as CSV)"
    ]


def test_not_a_workbook(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "participants.xlsx"
    path.write_text("participant_id\n")
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", path, today=TODAY)
    assert str(info.value.problems[0]).startswith(
        f"{path}: cannot read the file as an .xlsx workbook: "
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "é", ",", '"', " ", "\r", "\n", "\r\n"]), max_size=30).map(
        "".join
    )
)
def test_rows_are_cut_as_a_text_file_opened_with_newline_empty_would_give(text: str) -> None:
    """The reader cuts lines from the text itself (an io.StringIO would copy the file at
    four bytes a character); the rows, their lines and the errors stay those of csv over
    io.StringIO(text, newline="")."""
    import csv
    import io

    from insertion_core.importing.rows import RawRow, ReadError, _csv_rows
    from insertion_core.importing.values import clean

    def expected() -> list[RawRow] | str:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=",", strict=True)
        rows, start = [], 1
        try:
            for values in reader:
                cleaned = tuple(clean(v) for v in values)
                if any(cleaned):
                    rows.append(RawRow(start, cleaned))
                start = reader.line_num + 1
        except csv.Error:
            return f"error at {start}"
        return rows

    try:
        found: list[RawRow] | str = list(_csv_rows(decode(opener(text.encode())).lines(), ",", 1))
    except ReadError as error:
        found = f"error at {error.line}"
    assert found == expected()
