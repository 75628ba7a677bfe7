"""Fuzzing the readers: whatever the bytes, an import ends in a summary or a typed error.

Arbitrary bytes, valid CSV files mutated byte by byte, and workbooks broken
either in their zip bytes or in their XML go through the whole import (a dry
run): only :class:`DataError` may come out, each example within a deadline
and a bounded amount of traced memory.
"""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core import DataError
from insertion_core.importing import import_file

from .conftest import open_workspace

TODAY = dt.date(2025, 6, 30)
VALID_CSV = (
    "participant_id;cohort_id;entry_date;birth_date;first_name;phone\r\n"
    'P1;C1;09/09/2024;01/03/2006;Thérèse;"06 12"\r\n'
    'P2;C1;2024-09-09;;"Zoé ""Z"" Martin";07\r\n'
    "P3;C2;9/9/2024;;Œuvray;\r\n"
).encode()
FUZZ = settings(
    max_examples=120,
    deadline=dt.timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow],
)

Import = Callable[..., None]


@pytest.fixture(scope="module")
def attempt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Import]:
    """Import bytes as a participants file (dry run); only DataError may escape."""
    folder = tmp_path_factory.mktemp("fuzz")
    with open_workspace() as workspace:

        def attempt(data: bytes, suffix: str = ".csv") -> None:
            path = folder / f"participants{suffix}"
            path.write_bytes(data)
            try:
                import_file(workspace, "demo", "participants", path, dry_run=True, today=TODAY)
            except DataError as error:
                assert error.problems
                assert all(p.file == str(path) for p in error.problems)

        yield attempt


def _bounded(attempt: Import, data: bytes, suffix: str = ".csv") -> None:
    """Attempt the import, tracing the memory it takes: a small file must stay small."""
    tracemalloc.start()
    try:
        attempt(data, suffix)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(attempt: Import, data: bytes) -> None:
    _bounded(attempt, data)


_mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.integers(0, len(VALID_CSV)),
    st.binary(min_size=1, max_size=4)
    | st.sampled_from([b'"', b"\r", b"\n", b";", b",", b"\x00", b"\xe9", b"\xc3\xa9", b"\xff"]),
)


def _mutate(data: bytes, mutations: list[tuple[str, int, bytes]]) -> bytes:
    for action, at, chunk in mutations:
        at = min(at, len(data))
        if action == "insert":
            data = data[:at] + chunk + data[at:]
        elif action == "delete":
            data = data[:at] + data[at + len(chunk) :]
        else:
            data = data[:at] + chunk + data[at + len(chunk) :]
    return data


@FUZZ
@given(st.lists(_mutation, min_size=1, max_size=6))
def test_mutated_csv(attempt: Import, mutations: list[tuple[str, int, bytes]]) -> None:
    _bounded(attempt, _mutate(VALID_CSV, mutations))


def _valid_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["participant_id", "cohort_id", "entry_date"])
    for n in range(1, 4):
        sheet.append([f"P{n}", "C1", dt.date(2024, 9, 9)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


VALID_XLSX = _valid_workbook()
with zipfile.ZipFile(io.BytesIO(VALID_XLSX)) as _archive:
    PARTS = {info.filename: _archive.read(info) for info in _archive.infolist()}


@FUZZ
@given(st.lists(_mutation, min_size=1, max_size=4))
def test_workbook_with_damaged_zip_bytes(
    attempt: Import, mutations: list[tuple[str, int, bytes]]
) -> None:
    # Mutations aim anywhere in the file: headers, compressed data, central directory.
    scale = len(VALID_XLSX) / len(VALID_CSV)
    moved = [(action, int(at * scale), chunk) for action, at, chunk in mutations]
    _bounded(attempt, _mutate(VALID_XLSX, moved), ".xlsx")


@FUZZ
@given(
    st.sampled_from(sorted(PARTS)),
    st.lists(_mutation, min_size=1, max_size=4),
)
def test_workbook_with_damaged_xml(
    attempt: Import, part: str, mutations: list[tuple[str, int, bytes]]
) -> None:
    scale = len(PARTS[part]) / len(VALID_CSV)
    moved = [(action, int(at * scale), chunk) for action, at, chunk in mutations]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in PARTS.items():
            archive.writestr(name, _mutate(data, moved) if name == part else data)
    _bounded(attempt, out.getvalue(), ".xlsx")
