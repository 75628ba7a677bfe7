"""One sheet of an ``.xlsx`` workbook as numbered rows of text, through openpyxl.

A workbook of one sheet is read whole; in a workbook of several, the sheet is
named (``--sheet``, or a sheet named after a kind in a folder), never guessed.

openpyxl is the optional extra ``xlsx``; without it the import of a workbook
fails with a message saying how to install it. Cell values are turned into
the text the CSV reader would have seen: dates as ``YYYY-MM-DD`` (the time
dropped), whole numbers without a decimal part.

A workbook is a zip of XML parts, and openpyxl trusts them: it loads every
shared string at once, and in read-only mode stops at the range the sheet
declares. So the parts are checked first (their uncompressed sizes, and,
streamed, the length of every text), rows are read to the sheet's real end,
and any failure of zip, zlib, XML or openpyxl becomes a :class:`ReadError`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from .rows import FIELD_LIMIT, RawRow, ReadError, check_shape
from .values import clean

__all__ = ["MAX_PART_BYTES", "MAX_SHEET_BYTES", "read_xlsx", "sheet_names"]

#: The largest sheet or shared-string part, uncompressed.
MAX_SHEET_BYTES = 1024 * 1024 * 1024
#: The largest of the other XML parts openpyxl reads whole (workbook, styles...).
MAX_PART_BYTES = 16 * 1024 * 1024
_MAX_MEMBERS = 10_000
_CHUNK = 1024 * 1024
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def sheet_names(path: Path) -> list[str]:
    """The names of the workbook's sheets, in order.

    :raises ReadError: as :func:`read_xlsx`.
    """
    workbook = _open(path)
    try:
        return [str(name) for name in workbook.sheetnames]
    finally:
        workbook.close()


def read_xlsx(path: Path, size: int, sheet: str | None = None) -> tuple[Iterator[RawRow], int]:
    """The non-empty rows of one sheet, each with its row number, and how many rows it has.

    :param size: the file's size in bytes, already checked.
    :param sheet: the sheet's name; None for the only sheet of a one-sheet workbook.
    :raises ReadError: openpyxl is missing, the file is not a readable,
        reasonably sized workbook, there is no such sheet, or no sheet is named
        in a workbook of several; the rows raise it too, as they are read.
    """
    workbook = _open(path)
    try:
        names = [str(name) for name in workbook.sheetnames]
        listed = ", ".join(repr(name) for name in names)
        if not names:
            raise ReadError(None, "cannot read the file as an .xlsx workbook: it has no sheet")
        if sheet is None and len(names) > 1:
            raise ReadError(
                None,
                f"the workbook has {len(names)} sheets ({listed}); say which one to read "
                "(insertion import --kind KIND --sheet NAME), or import the folder holding it, "
                "where each sheet named after a kind is read",
            )
        if sheet is not None and sheet not in names:
            raise ReadError(None, f"the workbook has no sheet {sheet!r}; its sheets are {listed}")
        with _guarded(f"cannot read the sheet {names[0] if sheet is None else sheet!r}"):
            chosen = workbook[names[0] if sheet is None else sheet]
            sheet_path = str(chosen._worksheet_path)
            total = _scan(workbook._archive, sheet_path, "c")
            chosen.reset_dimensions()  # read to the real end, not the declared <dimension>
    except BaseException:
        workbook.close()
        raise
    return _rows(workbook, chosen), total


def _open(path: Path) -> Any:
    """The workbook, opened read-only by openpyxl once its parts are checked."""
    try:
        openpyxl = importlib.import_module("openpyxl")  # untyped; an optional extra
    except ImportError:
        raise ReadError(
            None,
            "reading .xlsx files needs openpyxl, which is not installed; "
            "install it with: pip install 'insertion-core[xlsx]' (or save the sheet as CSV)",
        ) from None
    with _guarded("cannot read the file as an .xlsx workbook"):
        with zipfile.ZipFile(path) as archive:
            for name in _check_parts(archive):
                _scan(archive, name, "si")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unsupported extensions, and the like
            return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)


def _rows(workbook: Any, sheet: Any) -> Iterator[RawRow]:
    number = 0
    try:
        with _guarded("cannot read the workbook", lambda: number + 1):
            for number, cells in enumerate(_quiet(sheet.iter_rows(values_only=True)), start=1):
                values = [_text(cell) for cell in cells]
                while values and not values[-1]:
                    values.pop()
                check_shape(number, number, len(values))
                for index, value in enumerate(values, start=1):
                    if len(value) > FIELD_LIMIT:
                        raise ReadError(
                            number,
                            f"column {index}: a value longer than {FIELD_LIMIT:,} characters",
                        )
                if values:
                    yield RawRow(number, tuple(clean(value) for value in values))
    finally:
        workbook.close()


def _quiet(rows: Iterator[Any]) -> Iterator[Any]:
    """The rows, without openpyxl's warnings (a date out of range becomes ``#VALUE!``,
    which the parser then refuses with its row and column)."""
    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cells = next(rows, None)
        if cells is None:
            return
        yield cells


class _guarded:
    """Turn whatever zip, zlib, XML or openpyxl raise into a :class:`ReadError`.

    The message names the kind of damage but never the error's own text,
    which may quote the file's content.
    """

    def __init__(self, doing: str, line: Any = None) -> None:
        self.doing = doing
        self.line = line

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: Any
    ) -> None:
        if error is None or isinstance(error, ReadError | MemoryError):
            return
        if not isinstance(error, Exception):
            return  # KeyboardInterrupt, GeneratorExit, SystemExit go on
        line = self.line() if callable(self.line) else None
        raise ReadError(line, f"{self.doing}: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    if isinstance(error, zipfile.BadZipFile):
        return "it is not a zip archive, or a damaged one"
    if isinstance(error, zlib.error | EOFError):
        return "its compressed data is damaged"
    if isinstance(error, ElementTree.ParseError | expat.ExpatError):
        return "its XML is damaged"
    if isinstance(error, KeyError):
        return "a part of the workbook is missing"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return f"the workbook is damaged ({type(error).__name__})"


def _check_parts(archive: zipfile.ZipFile) -> list[str]:
    """Check the parts' uncompressed sizes; the shared-string parts, to be scanned.

    Sizes are those the zip declares: zipfile never inflates a part past its
    declared size (the CRC check then fails), so they bound what is read.
    """
    members = archive.infolist()
    if len(members) > _MAX_MEMBERS:
        raise ReadError(None, f"the workbook has more than {_MAX_MEMBERS:,} parts")
    names = {info.filename for info in members}
    manifest = _part(archive, "[Content_Types].xml", names)
    root = ElementTree.fromstring(manifest)
    shared = [
        str(node.get("PartName", "")).lstrip("/")
        for node in root
        if node.get("ContentType") == _SHARED_STRINGS
    ]
    for info in members:
        name = info.filename
        big = name in shared or name.startswith("xl/worksheets/")
        limit = MAX_SHEET_BYTES if big else MAX_PART_BYTES
        if name.endswith((".xml", ".rels")) and info.file_size > limit:
            raise ReadError(
                None,
                f"the workbook's part {name} is {info.file_size:,} bytes uncompressed; "
                f"at most {limit:,} are read",
            )
    return [name for name in shared if name in names]


def _part(archive: zipfile.ZipFile, name: str, names: set[str]) -> bytes:
    if name not in names:
        raise ReadError(None, f"cannot read the file as an .xlsx workbook: it has no {name}")
    if archive.getinfo(name).file_size > MAX_PART_BYTES:
        raise ReadError(None, f"the workbook's part {name} is too large")
    return archive.read(name)


def _scan(archive: zipfile.ZipFile, name: str, record: str) -> int:
    """Stream a part's XML and refuse any ``record`` element (a cell ``c`` or a shared
    string ``si``) holding more than :data:`FIELD_LIMIT` characters; count its rows.

    This runs before openpyxl, which would hold such a text whole in memory.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    state = {"depth": 0, "inside": 0, "count": 0, "rows": 0, "row": 0, "strings": 0}

    def start(tag: str, attributes: dict[str, str]) -> None:
        state["depth"] += 1
        local = tag.rpartition(" ")[2]
        if local == "row":
            state["rows"] += 1
            row = attributes.get("r", "")
            state["row"] = int(row) if row.isdigit() and len(row) < 10 else state["rows"]
        elif local == record and not state["inside"]:
            state["inside"], state["count"] = state["depth"], 0
            state["strings"] += 1

    def end(tag: str) -> None:
        if state["inside"] == state["depth"]:
            state["inside"] = 0
        state["depth"] -= 1

    def text(data: str) -> None:
        if state["inside"]:
            state["count"] += len(data)
            if state["count"] > FIELD_LIMIT:
                if record == "c":
                    line = state["row"] or None
                    raise ReadError(line, f"a value longer than {FIELD_LIMIT:,} characters")
                raise ReadError(
                    None,
                    f"the workbook holds a text longer than {FIELD_LIMIT:,} characters "
                    f"(shared string {state['strings']})",
                )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return state["rows"]


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
