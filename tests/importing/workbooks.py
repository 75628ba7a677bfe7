"""Workbooks for the xlsx tests: written by openpyxl, then their XML edited inside the zip.

An attack on the reader is a workbook whose parts say something openpyxl
trusts (a wrong ``<dimension>``, a huge shared string) or cannot read (bad
deflate data, broken XML); these helpers make each from a valid one.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def workbook(path: Path, rows: Iterable[Sequence[object]]) -> Path:
    """A one-sheet workbook holding ``rows``, as openpyxl writes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def edit(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of the zip through ``change``, the others kept as they are."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def set_dimension(path: Path, ref: str) -> Path:
    """Make the sheet declare ``ref`` (``A1:C2``) as its range, whatever it holds."""
    return edit(
        path,
        SHEET,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml),
    )


def with_shared_string(path: Path, chunks: Iterable[bytes], cell: str = "B2") -> Path:
    """Put a shared string made of ``chunks`` (streamed, never whole in memory) in ``cell``."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
        "</Types>".encode(),
    )
    parts[SHEET] = re.sub(
        rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)'.encode(),
        f'<c r="{cell}" t="s"><v>0</v></c>'.encode(),
        parts[SHEET],
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'count="1" uniqueCount="1"><si><t>'
            )
            for chunk in chunks:
                out.write(chunk)
            out.write(b"</t></si></sst>")
    return path


def corrupt_deflate(path: Path, part: str = SHEET) -> Path:
    """Overwrite bytes in the middle of a part's compressed data (its header left intact)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    data = bytearray(path.read_bytes())
    names, extra = struct.unpack_from("<HH", data, info.header_offset + 26)  # local header
    start = info.header_offset + 30 + names + extra
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    return path
