"""The first sheet of an ``.xlsx`` workbook as numbered rows of text, through openpyxl.

openpyxl is the optional extra ``xlsx``; without it the import of a workbook
fails with a message saying how to install it. Cell values are turned into
the text the CSV reader would have seen: dates as ``YYYY-MM-DD`` (the time
dropped), whole numbers without a decimal part.
"""

from __future__ import annotations

import datetime as dt
import importlib
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .rows import RawRow, ReadError
from .values import clean

__all__ = ["read_xlsx"]


def read_xlsx(path: Path) -> Iterator[RawRow]:
    """The non-empty rows of the first sheet, each with its row number.

    :raises ReadError: openpyxl is missing, or the file is not a readable workbook.
    """
    try:
        openpyxl = importlib.import_module("openpyxl")  # untyped; an optional extra
    except ImportError:
        raise ReadError(
            None,
            "reading .xlsx files needs openpyxl, which is not installed; "
            "install it with: pip install 'insertion-core[xlsx]' (or save the sheet as CSV)",
        ) from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReadError(None, f"cannot read the file as an .xlsx workbook: {error}") from None
    rows: list[RawRow] = []
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            values = tuple(clean(_text(cell)) for cell in cells)
            if any(values):
                rows.append(RawRow(number, values))
    finally:
        workbook.close()
    return iter(rows)


def _text(value: object) -> str:
    """What a cell holds, as the text a CSV export of it would show."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
