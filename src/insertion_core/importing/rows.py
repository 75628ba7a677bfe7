"""Files to rows: a header and numbered rows of trimmed text, from CSV or xlsx.

Each row carries the line a person sees in a text editor (the physical,
1-based line of its first field) or, for xlsx, the spreadsheet's row number,
so every problem can point at it. Fully empty rows (Excel's ``;;;;``) are
skipped here, and every value is trimmed of spaces and non-breaking spaces.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from .decoding import DecodingError, decode
from .values import clean

__all__ = ["RawRow", "ReadError", "Table", "read_table"]


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


def read_table(path: Path) -> Table:
    """Read ``path`` as CSV, or as the first sheet of a workbook when it ends in ``.xlsx``.

    :raises ReadError: the file cannot be opened, decoded, or has no header.
    """
    if path.suffix.lower() == ".xlsx":
        from .xlsx import read_xlsx

        return _table(read_xlsx(path), "xlsx, first sheet")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(None, f"cannot read the file: {error.strerror}") from None
    try:
        decoded = decode(data)
    except DecodingError as error:
        raise ReadError(error.line, str(error)) from None
    rows = _csv_rows(decoded.text, decoded.delimiter, decoded.first_line)
    total = decoded.text.count("\n") + 1
    return _table(rows, f"{decoded.encoding}, delimiter {decoded.delimiter!r}", total)


def _csv_rows(text: str, delimiter: str, first_line: int) -> Iterator[RawRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    offset = first_line - 1
    start = 1
    try:
        for values in reader:
            cleaned = tuple(clean(v) for v in values)
            if any(cleaned):
                yield RawRow(start + offset, cleaned)
            start = reader.line_num + 1
    except csv.Error as error:
        raise ReadError(start + offset, f"cannot read this line as CSV: {error}") from None


def _table(rows: Iterator[RawRow], description: str, total: int | None = None) -> Table:
    """Take the first non-empty row as the header and leave the rest to read."""
    header = next(rows, None)
    if header is None:
        raise ReadError(None, "the file is empty: expected a header line naming the columns")
    if total is None:
        rest = list(rows)
        return Table(header.line, header.values, rest, len(rest), description)
    return Table(header.line, header.values, rows, max(total - header.line, 0), description)
