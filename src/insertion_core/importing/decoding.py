"""Bytes of a CSV file to text: the encoding and the delimiter, as spreadsheets write them.

French Excel writes Windows-1252 with ``;``; "CSV UTF-8" adds a byte-order
mark; some exports start with a ``sep=;`` line that names the delimiter. All
of these are read without the user having to say which one they have.

The file is never held whole: a first pass reads it a chunk at a time to
settle its encoding (and refuse a mixed one at its first odd byte), then
its lines are decoded as they are read. Memory stays that of a chunk and a
line, whatever the size of the file.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

import attrs

__all__ = ["CHUNK", "DecodedText", "DecodingError", "decode", "sniff_delimiter"]

#: Bytes read at a time: the most the reader holds of a file besides one line.
CHUNK = 1 << 20
#: Text looked at for a ``sep=`` line and the header line that names the delimiter.
_PREFIX = 64 * 1024

_BLANK = " \t\r\n\ufeff"
# UTF-8 for U+0080-U+017F (accented Latin letters, NBSP, «») and U+2000-U+20BF
# (dashes, quotes, €): what a UTF-8 French text holds, and Windows-1252 text
# almost never (it would read 'Ã©', 'Å“', 'â€™').
_UTF8_TEXT = re.compile(rb"[\xc2-\xc5][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
_SEP_LINE = re.compile(r'"?sep=(.)"?[ \t]*', re.IGNORECASE)

#: Opens the file's bytes afresh, at its start.
Opener = Callable[[], BinaryIO]


class DecodingError(ValueError):
    """The bytes are not text in an encoding the importer reads; ``line`` holds the first bad byte."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@attrs.frozen
class DecodedText:
    """How a CSV file is encoded and its fields separated; :meth:`lines` reads its text.

    ``first_line`` is the physical line number of the first line :meth:`lines`
    gives: 2 when a ``sep=`` line came before it. ``newlines`` counts the
    ``\\n`` of that text, and ``nul_line`` is the line of its first NUL
    character, if any.
    """

    opener: Opener
    encoding: str
    delimiter: str
    first_line: int = 1
    newlines: int = 0
    nul_line: int | None = None
    skip: int = attrs.field(default=0, repr=False)  # characters of the sep= line

    def lines(self) -> Iterator[str]:
        """The physical lines (ended by ``\\r\\n``, ``\\r`` or ``\\n``, kept), one at a time."""
        with io.TextIOWrapper(self.opener(), encoding=self.encoding, newline="") as text:
            try:
                if self.skip:
                    text.read(self.skip)
                yield from text
            except UnicodeDecodeError:
                raise DecodingError("the file changed while it was read; import it again") from None


def decode(opener: Opener) -> DecodedText:
    """Settle a CSV file's encoding: UTF-8 (with or without BOM) first, else Windows-1252.

    ``opener`` gives the file's bytes from the start; it is called once per pass.

    :raises DecodingError: UTF-16 files, and bytes that are neither encoding.
    """
    with opener() as raw:
        start = raw.read(len(codecs.BOM_UTF8))
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodingError(
            "the file is UTF-16 text (Excel's 'Unicode text'); "
            "save it as 'CSV UTF-8' or 'CSV (separator: semicolon)' instead"
        )
    bom = start == codecs.BOM_UTF8
    scan = _scan(opener, len(codecs.BOM_UTF8) if bom else 0)
    if scan.odd is None:
        encoding = "utf-8-sig" if bom else "utf-8"
    elif bom:
        raise DecodingError(
            f"the file starts with a UTF-8 byte-order mark but {_bad(scan.odd_byte)} "
            "is not UTF-8; save it again as 'CSV UTF-8'",
            scan.odd_line,
        )
    else:
        _check_cp1252(opener, scan)
        encoding = "cp1252"
    return _layout(opener, encoding, scan)


@attrs.define
class _Scan:
    """What one pass over the bytes found: the first byte that is not UTF-8, newlines, NUL."""

    odd: int | None = None
    odd_byte: int = 0
    odd_line: int = 0
    newlines: int = 0
    nul_line: int | None = None


def _chunks(opener: Opener, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """The file's bytes from ``start``, :data:`CHUNK` at a time, each with its offset."""
    with opener() as raw:
        if start:
            raw.read(start)
        offset = start
        while chunk := raw.read(CHUNK):
            yield offset, chunk
            offset += len(chunk)


def _scan(opener: Opener, start: int) -> _Scan:
    """Read the bytes once: the first one that is not UTF-8, the newlines, the first NUL.

    A character cut by the end of a chunk is carried to the next one (it holds
    no newline: every byte of it is above 0x7f).
    """
    found = _Scan()
    carry, end = b"", start
    for offset, chunk in _chunks(opener, start):
        if found.nul_line is None and (nul := chunk.find(b"\0")) >= 0:
            found.nul_line = found.newlines + chunk.count(b"\n", 0, nul) + 1
        if found.odd is None and not (chunk.isascii() and not carry):
            data = carry + chunk
            carry = b""
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                if error.reason == "unexpected end of data" and error.end == len(data):
                    carry = data[error.start :]  # completed by the next chunk, or bad
                else:
                    at = error.start - (len(data) - len(chunk))
                    found.odd, found.odd_byte = offset + at, data[error.start]
                    found.odd_line = found.newlines + chunk.count(b"\n", 0, max(at, 0)) + 1
        found.newlines += chunk.count(b"\n")
        end = offset + len(chunk)
    if carry:
        found.odd, found.odd_byte, found.odd_line = end - len(carry), carry[0], found.newlines + 1
    return found


def _check_cp1252(opener: Opener, scan: _Scan) -> None:
    """Refuse a file that is not UTF-8 when it also holds UTF-8 text (a mixed file) or
    bytes that are not Windows-1252.

    Accented letters and typographic quotes written in UTF-8 would read as
    ``Ã©`` or ``â€™`` in Windows-1252: finding one means the file mixes both
    encodings, and no single reading of it is right. Chunks overlap by the
    two bytes a UTF-8 character may have in the previous one.
    """
    newlines, tail = 0, b""
    for _, chunk in _chunks(opener):
        data = tail + chunk
        if (utf8 := _UTF8_TEXT.search(data)) is not None:
            at = utf8.start() - len(tail)
            line = newlines + chunk.count(b"\n", 0, max(at, 0)) + 1
            sample = utf8.group().decode("utf-8")
            raise DecodingError(
                f"the file mixes two encodings: line {line} has {sample!r} "
                f"in UTF-8, but {_bad(scan.odd_byte)} on this line is not UTF-8 "
                "(Windows-1252?); save the whole file again as 'CSV UTF-8'",
                scan.odd_line,
            )
        newlines += chunk.count(b"\n")
        tail = chunk[-2:]
    newlines = 0
    for _, chunk in _chunks(opener):
        try:
            chunk.decode("cp1252")  # one byte a character: chunks cut anywhere
        except UnicodeDecodeError as error:
            raise DecodingError(
                "the file is neither UTF-8 nor Windows-1252 text "
                f"({_bad(chunk[error.start])} on this line); save it as 'CSV UTF-8'",
                newlines + chunk.count(b"\n", 0, error.start) + 1,
            ) from None
        newlines += chunk.count(b"\n")


def _layout(opener: Opener, encoding: str, scan: _Scan) -> DecodedText:
    """The ``sep=`` line and the delimiter, from the first :data:`_PREFIX` characters."""
    with io.TextIOWrapper(opener(), encoding=encoding, newline="") as text:
        prefix = text.read(_PREFIX)
        whole = not text.read(1)
    first, newline, _ = prefix.partition("\n")
    sep = _SEP_LINE.fullmatch(first.rstrip("\r").lstrip("\ufeff"))
    if sep and (newline or whole):
        newlines = scan.newlines - (1 if newline else 0)
        skip = len(first) + len(newline)
        return DecodedText(opener, encoding, sep.group(1), 2, newlines, scan.nul_line, skip)
    header = next((line for line in _lines(prefix) if line.strip(_BLANK)), "")
    return DecodedText(opener, encoding, sniff_delimiter(header), 1, scan.newlines, scan.nul_line)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (ended by ``\n``), one at a time, without copying the whole text."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _bad(byte: int) -> str:
    return f"byte 0x{byte:02x}"


def sniff_delimiter(header: str) -> str:
    """``;`` when the header line (the first that is not blank) has more semicolons than
    commas outside quotes, else ``,``."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","
