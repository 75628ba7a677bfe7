"""The CSV reader decodes a file as a stream: bounded reads, problems still at their line.

A file larger than several reading chunks is refused at the right line for
every decoding problem, including a character cut by a chunk's end; and the
reader never asks its file for more than one chunk at a time.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import pytest

from insertion_core.importing.decoding import CHUNK, decode
from insertion_core.importing.rows import ReadError, _csv_rows, read_table

HEADER = b"participant_id,cohort_id,entry_date\n"


def _rows(count: int) -> bytes:
    """``count`` good rows of 28 bytes each, ASCII."""
    return b"".join(b"P%09d,C1,2024-09-09\n" % i for i in range(count))


def _at_chunk_end(lines: int, middle: bytes) -> bytes:
    """A file whose ``middle`` bytes start one byte before the end of the second chunk."""
    body = HEADER + _rows(lines)
    cut = 2 * CHUNK - 1
    filler = body[:cut]
    line_start = filler.rfind(b"\n") + 1
    return filler[:line_start] + b"X" * (cut - line_start) + middle + b",C1,2024-09-09\n" + body


def test_a_large_file_mixing_encodings_is_refused_at_the_line_of_its_first_odd_byte(
    tmp_path: Path,
) -> None:
    rows = _rows(200_000)  # 5.6 MB: several chunks
    f = tmp_path / "participants.csv"
    f.write_bytes(
        HEADER
        + rows
        + "Zoé-02,C1,2024-09-09\n".encode()
        + "Hélène,C1,2024-09-09\n".encode("cp1252")
    )
    with pytest.raises(ReadError) as info:
        read_table(f)
    assert (info.value.line, info.value.message) == (
        200_003,
        "the file mixes two encodings: line 200002 has 'é' in UTF-8, but byte 0xe9 on this "
        "line is not UTF-8 (Windows-1252?); save the whole file again as 'CSV UTF-8'",
    )


def test_a_large_cp1252_file_with_an_undefined_byte_is_refused_at_its_line(tmp_path: Path) -> None:
    f = tmp_path / "participants.csv"
    f.write_bytes(
        HEADER
        + _rows(150_000)
        + b"H\xe9l\xe8ne,C1,2024-09-09\n"
        + _rows(10)
        + b"P\x81,C1,2024-09-09\n"
    )
    with pytest.raises(ReadError) as info:
        read_table(f)
    assert (info.value.line, info.value.message) == (
        150_013,
        "the file is neither UTF-8 nor Windows-1252 text (byte 0x81 on this line); "
        "save it as 'CSV UTF-8'",
    )


def test_a_utf8_character_cut_by_a_chunk_end_is_read_whole(tmp_path: Path) -> None:
    data = _at_chunk_end(100_000, "é".encode())
    f = tmp_path / "participants.csv"
    f.write_bytes(data)
    table = read_table(f)
    line = data.count(b"\n", 0, 2 * CHUNK) + 1
    found = [row for row in table.rows if row.line == line]
    assert found[0].values[0].endswith("Xé")


def test_a_bad_utf8_sequence_cut_by_a_chunk_end_is_refused_at_its_line(tmp_path: Path) -> None:
    # A BOM says UTF-8; the lead byte of 'é' ends the second chunk, a digit follows.
    data = b"\xef\xbb\xbf" + _at_chunk_end(100_000, b"\xc3" + b"1")[3:]
    f = tmp_path / "participants.csv"
    f.write_bytes(data)
    with pytest.raises(ReadError) as info:
        read_table(f)
    assert info.value.line == data.count(b"\n", 0, 2 * CHUNK) + 1
    assert info.value.message == (
        "the file starts with a UTF-8 byte-order mark but byte 0xc3 is not UTF-8; "
        "save it again as 'CSV UTF-8'"
    )


def test_a_nul_far_into_a_large_file_is_refused_at_its_line(tmp_path: Path) -> None:
    f = tmp_path / "participants.csv"
    f.write_bytes(HEADER + _rows(120_000) + b"P\x00,C1,2024-09-09\n")
    with pytest.raises(ReadError) as info:
        read_table(f)
    assert (info.value.line, info.value.message) == (
        120_002,
        "the line holds a NUL character: this is not a text file",
    )


class _Guarded(io.BytesIO):
    """A file that fails when asked for everything at once, or for more than a chunk."""

    largest = 0

    def read(self, size: int | None = -1) -> bytes:
        return super().read(self._check(size))

    def read1(self, size: int | None = -1) -> bytes:
        return super().read1(self._check(size))

    def readall(self) -> bytes:
        raise AssertionError("the whole file was read at once")

    def _check(self, size: int | None) -> int:
        if size is None or size < 0 or size > CHUNK:
            raise AssertionError(f"read({size}) asks for more than a chunk")
        _Guarded.largest = max(_Guarded.largest, size)
        return size


@pytest.mark.parametrize(
    "data",
    [
        HEADER + _rows(100_000),
        b"sep=;\r\n" + HEADER.replace(b",", b";") + _rows(100_000).replace(b",", b";"),
        b"\xef\xbb\xbf" + HEADER + _rows(100_000) + "Zoé,C1,2024-09-09\n".encode(),
        HEADER + _rows(100_000) + "Zoé,C1,2024-09-09\n".encode("cp1252"),
    ],
    ids=["utf-8", "sep line", "bom", "cp1252"],
)
def test_the_reader_asks_for_at_most_a_chunk_at_a_time(data: bytes) -> None:
    def opener() -> BinaryIO:
        return _Guarded(data)

    decoded = decode(opener)
    rows = list(_csv_rows(decoded.lines(), decoded.delimiter, decoded.first_line))
    assert len(rows) == 100_001 + (data.count(b"Zo") and 1)
    assert rows[-1].line == data.count(b"\n")
    assert 0 < _Guarded.largest <= CHUNK


def test_a_file_changed_between_the_passes_is_refused() -> None:
    # The first three openings settle the encoding; the fourth reads the rows.
    versions = iter([HEADER + _rows(3)] * 3)

    def opener() -> BinaryIO:
        return io.BytesIO(next(versions, HEADER + _rows(3) + b"P\xe9\n"))

    decoded = decode(opener)
    with pytest.raises(ReadError) as info:
        list(_csv_rows(decoded.lines(), decoded.delimiter, decoded.first_line))
    assert info.value.message == "the file changed while it was read; import it again"
