"""Hostile .xlsx workbooks: every row read, bounded size, and a typed error for any damage."""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
from pathlib import Path

import pytest

from insertion_core.importing import xlsx
from insertion_core.importing.rows import ReadError, read_table

from ..fakes import SharedMemoryPlugin
from .conftest import Run, stored_ids
from .workbooks import SHEET, corrupt_deflate, edit, set_dimension, with_shared_string, workbook

HEADER = ("participant_id", "cohort_id", "entry_date")
ROWS = [HEADER] + [(f"P{n}", "C1", dt.date(2024, 9, 9)) for n in range(1, 6)]


def _import(run: Run, path: Path) -> tuple[int, list[str]]:
    result = run("--programme", "demo", "--kind", "participants", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, (result.stdout or result.stderr).splitlines()


def test_rows_past_the_declared_dimension_are_read(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin
) -> None:
    book = set_dimension(workbook(tmp_path / "participants.xlsx", ROWS), "A1:C2")
    assert _import(run, book) == (0, ["participants: 5 added, 0 updated, 0 unchanged"])
    assert stored_ids(plugin) == ["P1", "P2", "P3", "P4", "P5"]


def test_a_narrower_declared_dimension_does_not_cut_columns(tmp_path: Path) -> None:
    book = set_dimension(workbook(tmp_path / "p.xlsx", ROWS), "A1:A1")
    table = read_table(book)
    assert table.header == HEADER
    assert [row.values for row in table.rows][-1] == ("P5", "C1", "2024-09-09")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda p: corrupt_deflate(p),
            "cannot read the file as an .xlsx workbook: its compressed data is damaged",
        ),
        (
            lambda p: edit(p, SHEET, lambda xml: xml[: len(xml) // 2]),
            "cannot read the sheet 'Sheet': its XML is damaged",
        ),
        (
            lambda p: edit(p, "xl/workbook.xml", lambda xml: xml.replace(b"<sheets>", b"<sheets")),
            "cannot read the file as an .xlsx workbook: its XML is damaged",
        ),
        (
            lambda p: edit(p, SHEET, lambda xml: xml.replace(b"<v>", b"<v>999999999999", 1)),
            None,
        ),
        (
            lambda p: p.write_bytes(b"participant_id,cohort_id\nP1,C1\n"),
            "cannot read the file as an .xlsx workbook: it is not a zip archive, or a damaged one",
        ),
        (
            lambda p: edit(p, "[Content_Types].xml", lambda xml: b"<Types/>"),
            "cannot read the file as an .xlsx workbook: the workbook is damaged (OSError)",
        ),
    ],
)
def test_a_damaged_workbook_is_a_typed_error_naming_the_file(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin, damage: object, message: str | None
) -> None:
    book = workbook(tmp_path / "participants.xlsx", ROWS)
    damage(book)  # type: ignore[operator]
    code, lines = _import(run, book)
    assert code == 1
    if message is not None:
        assert lines[0] == f"{book}: {message}"
    assert lines[0].startswith(str(book))
    assert lines[-1].endswith("nothing was written.")
    assert stored_ids(plugin) == []


def test_a_huge_shared_string_is_refused_without_loading_it(tmp_path: Path) -> None:
    # 200 million characters in a file of a few hundred kilobytes.
    book = with_shared_string(
        workbook(tmp_path / "participants.xlsx", ROWS), (b"A" * 1_000_000 for _ in range(200))
    )
    assert book.stat().st_size < 1_000_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ReadError) as info:
            read_table(book)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.message == (
        "the workbook holds a text longer than 131,072 characters (shared string 1)"
    )
    assert peak < 32 * 1024 * 1024
    assert time.monotonic() - started < 10


def test_a_shared_string_at_the_limit_is_read(tmp_path: Path) -> None:
    book = with_shared_string(workbook(tmp_path / "p.xlsx", ROWS), [b"x" * 131_072], cell="B3")
    rows = list(read_table(book).rows)
    assert rows[1].values == ("P2", "x" * 131_072, "2024-09-09")


def test_a_huge_inline_cell_is_refused_at_its_row(run: Run, tmp_path: Path) -> None:
    # openpyxl writes at most 32,767 characters in a cell: the XML is edited instead.
    rows = [*ROWS, ("P6", "HUGE", dt.date(2024, 9, 9))]
    book = edit(
        workbook(tmp_path / "participants.xlsx", rows),
        SHEET,
        lambda xml: xml.replace(b"HUGE", b"C" * 131_073),
    )
    assert _import(run, book) == (
        1,
        [
            f"{book}:7: a value longer than 131,072 characters",
            "Error: 1 problem(s); nothing was written.",
        ],
    )


def test_a_part_too_large_uncompressed_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 20_000)
    book = edit(
        workbook(tmp_path / "p.xlsx", ROWS), "xl/styles.xml", lambda xml: xml + b" " * 30_000
    )
    with pytest.raises(ReadError) as info:
        read_table(book)
    assert info.value.message.startswith("the workbook's part xl/styles.xml is ")
    assert info.value.message.endswith(" bytes uncompressed; at most 20,000 are read")


def test_a_row_number_far_past_the_limit_is_refused_in_bounded_time(
    run: Run, tmp_path: Path
) -> None:
    book = edit(
        workbook(tmp_path / "participants.xlsx", ROWS),
        SHEET,
        lambda xml: xml.replace(b'<row r="6"', b'<row r="999999999"').replace(
            b'r="A6"', b'r="A999999999"'
        ),
    )
    started = time.monotonic()
    code, lines = _import(run, book)
    assert (code, lines[0]) == (
        1,
        f"{book}:1048577: more than 1,048,576 rows; split the file",
    )
    assert time.monotonic() - started < 20


def test_a_value_far_to_the_right_is_refused(run: Run, tmp_path: Path) -> None:
    book = edit(
        workbook(tmp_path / "participants.xlsx", ROWS),
        SHEET,
        lambda xml: xml.replace(b'r="C3"', b'r="ZZ3"'),
    )
    code, lines = _import(run, book)
    assert code == 1
    assert f"{book}:3: column 702: a value in a column that has no name" in lines


def test_a_sheet_past_the_row_limit_is_refused_and_a_csv_file_is_not(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit is Excel's; a CSV file is read as a stream and bounded by its size only.
    monkeypatch.setattr("insertion_core.importing.rows.MAX_ROWS", 3)
    book = workbook(tmp_path / "participants.xlsx", ROWS)
    # A sheet's rows are counted with its header, as Excel counts them.
    assert _import(run, book) == (
        1,
        [
            f"{book}:4: more than 3 rows; split the file",
            "Error: 1 problem(s); nothing was written.",
        ],
    )
    assert stored_ids(plugin) == []
    text = "participant_id,cohort_id,entry_date\n" + "".join(
        f"{pid},{cohort},{day.isoformat()}\n" for pid, cohort, day in ROWS[1:]
    )
    csv_file = tmp_path / "participants.csv"
    csv_file.write_text(text, encoding="utf-8")
    assert _import(run, csv_file) == (0, ["participants: 5 added, 0 updated, 0 unchanged"])
