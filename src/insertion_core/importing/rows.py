"""Files to rows: a header and numbered rows of trimmed text, from CSV or xlsx.

Each row carries the line a person sees in a text editor (the physical,
1-based line of its first field) or, for xlsx, the spreadsheet's row number,
so every problem can point at it. Fully empty rows (Excel's ``;;;;``) are
skipped here, and every value is trimmed of spaces and non-breaking spaces.

A record spans lines only inside a quote that is closed; a quote left open
is an error at its line, not a value that swallows the rest of the file.
Files, rows, columns and values have the bounds below, for CSV and xlsx
alike, so a hostile file is refused before it can exhaust memory or time.
"""

from __future__ import annotations

import csv
import itertools
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from .decoding import DecodingError, decode
from .values import TRIM

__all__ = [
    "FIELD_LIMIT",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "RawRow",
    "ReadError",
    "Table",
    "check_shape",
    "check_width",
    "open_regular_file",
    "read_table",
]

#: The longest value, in characters (Python's csv default).
FIELD_LIMIT = 131_072
#: The most columns a row may have.
MAX_COLUMNS = 1_024
#: The most rows a workbook sheet may have (Excel's own limit). A CSV file has no row
#: limit: it is read as a stream, and :data:`MAX_FILE_BYTES` bounds it.
MAX_ROWS = 1_048_576
#: The largest file read, in bytes.
MAX_FILE_BYTES = 512 * 1024 * 1024


class ReadError(Exception):
    """A file, or the row at ``line``, cannot be read at all."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@attrs.frozen
class RawRow:
    """One non-empty row: its line (or xlsx row number) and its trimmed values."""

    line: int
    values: tuple[str, ...]


@attrs.frozen
class Table:
    """A file's header and its data rows; ``rows`` may raise :class:`ReadError` as it goes.

    ``total`` is an upper bound on the number of data rows, for progress bars.
    """

    header_line: int
    header: tuple[str, ...]
    rows: Iterable[RawRow]
    total: int
    description: str = ""


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read ``path`` as CSV, or as one sheet of a workbook when it ends in ``.xlsx``.

    ``sheet`` names the workbook's sheet; without it, a workbook must have one.

    :raises ReadError: the file is not a regular file, too large, cannot be
        opened or decoded, or has no header.
    """
    size = open_regular_file(path)
    if sheet is not None and path.suffix.lower() != ".xlsx":
        raise ReadError(None, f"a sheet ({sheet!r}) is named, but this is not an .xlsx workbook")
    if path.suffix.lower() == ".xlsx":
        from .xlsx import read_xlsx

        rows, total = read_xlsx(path, size, sheet)
        return _table(rows, "xlsx" if sheet is None else f"xlsx, sheet {sheet!r}", total)
    try:
        decoded = decode(lambda: path.open("rb"))
    except OSError as error:
        raise ReadError(None, f"cannot read the file: {error.strerror}") from None
    except DecodingError as error:
        raise ReadError(error.line, str(error)) from None
    if decoded.nul_line is not None:
        raise ReadError(decoded.nul_line, "the line holds a NUL character: this is not a text file")
    rows = _csv_rows(decoded.lines(), decoded.delimiter, decoded.first_line)
    total = decoded.newlines + 1
    return _table(rows, f"{decoded.encoding}, delimiter {decoded.delimiter!r}", total)


def open_regular_file(path: Path) -> int:
    """The size of ``path`` in bytes, when it is a regular file of at most :data:`MAX_FILE_BYTES`.

    A named pipe or a device would block or never end, so it is refused before
    being opened.

    :raises ReadError: missing, not a regular file, or too large.
    """
    try:
        status = path.stat()
    except OSError as error:
        raise ReadError(None, f"cannot read the file: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise ReadError(
            None, "not a regular file (a directory, a named pipe or a device); give a file"
        )
    if status.st_size > MAX_FILE_BYTES:
        raise ReadError(
            None,
            f"the file is {status.st_size:,} bytes; at most {MAX_FILE_BYTES:,} are read "
            "(split it into several imports)",
        )
    return status.st_size


def check_shape(line: int, count: int, width: int) -> None:
    """Refuse the ``count``-th row of a sheet, at ``line``, past :data:`MAX_ROWS` or wider
    than :data:`MAX_COLUMNS`.

    :raises ReadError: naming the bound.
    """
    if count > MAX_ROWS:
        raise ReadError(line, f"more than {MAX_ROWS:,} rows; split the file")
    check_width(line, width)


def check_width(line: int, width: int) -> None:
    """Refuse a row, at ``line``, wider than :data:`MAX_COLUMNS`.

    :raises ReadError: naming the bound.
    """
    if width > MAX_COLUMNS:
        raise ReadError(line, f"more than {MAX_COLUMNS:,} columns")


_TRIMS = itertools.repeat(TRIM)  # the characters values.clean() strips, for map()

_CSV_ERRORS = {
    "unexpected end of data": (
        "a quote opened on this line is never closed, so the rest of the file would be read "
        "as one value; close the quote or remove it"
    ),
    "expected after": (
        "a quoted value goes on after its closing quote; a quote inside a quoted value "
        'is written twice ("")'
    ),
    "field larger than field limit": f"a value longer than {FIELD_LIMIT:,} characters",
}


def _csv_rows(lines: Iterable[str], delimiter: str, first_line: int) -> Iterator[RawRow]:
    """The rows of a file's physical lines (each ended by ``\\r\\n``, ``\\r`` or ``\\n``)."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    offset = first_line - 1
    start = 1
    try:
        for values in reader:
            check_width(start + offset, len(values))
            cleaned = tuple(map(str.strip, values, _TRIMS))  # clean() of each, at C speed
            if any(cleaned):
                yield RawRow(start + offset, cleaned)
            start = reader.line_num + 1
    except csv.Error as error:
        reason = next((m for key, m in _CSV_ERRORS.items() if key in str(error)), str(error))
        raise ReadError(start + offset, f"cannot read this line as CSV: {reason}") from None
    except DecodingError as error:
        raise ReadError(start + offset, str(error)) from None


def _table(rows: Iterator[RawRow], description: str, total: int | None = None) -> Table:
    """Take the first non-empty row as the header and leave the rest to read."""
    header = next(rows, None)
    if header is None:
        raise ReadError(None, "the file is empty: expected a header line naming the columns")
    if total is None:
        rest = list(rows)
        return Table(header.line, header.values, rest, len(rest), description)
    return Table(header.line, header.values, rows, max(total - header.line, 0), description)
