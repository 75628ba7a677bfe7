"""Bytes of a CSV file to text: the encoding and the delimiter, as spreadsheets write them.

French Excel writes Windows-1252 with ``;``; "CSV UTF-8" adds a byte-order
mark; some exports start with a ``sep=;`` line that names the delimiter. All
of these are read without the user having to say which one they have.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import attrs

__all__ = ["DecodedText", "DecodingError", "decode", "sniff_delimiter"]

_BLANK = " \t\r\n\ufeff"
# UTF-8 for U+0080-U+017F (accented Latin letters, NBSP, «») and U+2000-U+20BF
# (dashes, quotes, €): what a UTF-8 French text holds, and Windows-1252 text
# almost never (it would read 'Ã©', 'Å“', 'â€™').
_UTF8_TEXT = re.compile(rb"[\xc2-\xc5][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
_SEP_LINE = re.compile(r'"?sep=(.)"?[ \t]*', re.IGNORECASE)


class DecodingError(ValueError):
    """The bytes are not text in an encoding the importer reads; ``line`` holds the first bad byte."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@attrs.frozen
class DecodedText:
    """A CSV file's text, how it was encoded, and how its fields are separated.

    ``first_line`` is the physical line number of ``text``'s first line: 2
    when a ``sep=`` line came before it.
    """

    text: str
    encoding: str
    delimiter: str
    first_line: int = 1


def decode(data: bytes) -> DecodedText:
    """Decode a CSV file: UTF-8 (with or without BOM) first, else Windows-1252.

    :raises DecodingError: UTF-16 files, and bytes that are neither encoding.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodingError(
            "the file is UTF-16 text (Excel's 'Unicode text'); "
            "save it as 'CSV UTF-8' or 'CSV (separator: semicolon)' instead"
        )
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise DecodingError(
                f"the file starts with a UTF-8 byte-order mark but {_bad(data, error.start + 3)} "
                "is not UTF-8; save it again as 'CSV UTF-8'",
                _line(data, error.start + 3),
            ) from None
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            text, encoding = _cp1252(data, error.start), "cp1252"
    first, _, rest = text.partition("\n")
    if match := _SEP_LINE.fullmatch(first.rstrip("\r").lstrip("\ufeff")):
        return DecodedText(rest, encoding, match.group(1), first_line=2)
    header = next((line for line in _lines(text) if line.strip(_BLANK)), "")
    return DecodedText(text, encoding, sniff_delimiter(header))


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (ended by ``\n``), one at a time, without copying the whole text."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _cp1252(data: bytes, odd: int) -> str:
    """The whole file as Windows-1252, unless it also holds UTF-8 text (a mixed file).

    ``odd`` is the offset of the first byte that is not UTF-8. Accented
    letters and typographic quotes written in UTF-8 would read as ``Ã©`` or
    ``â€™`` in Windows-1252: finding one means the file mixes both encodings,
    and no single reading of it is right.
    """
    utf8 = _UTF8_TEXT.search(data)
    if utf8 is not None:
        sample = utf8.group().decode("utf-8")
        raise DecodingError(
            f"the file mixes two encodings: line {_line(data, utf8.start())} has {sample!r} "
            f"in UTF-8, but {_bad(data, odd)} on this line is not UTF-8 "
            "(Windows-1252?); save the whole file again as 'CSV UTF-8'",
            _line(data, odd),
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DecodingError(
            "the file is neither UTF-8 nor Windows-1252 text "
            f"({_bad(data, error.start)} on this line); save it as 'CSV UTF-8'",
            _line(data, error.start),
        ) from None


def _bad(data: bytes, offset: int) -> str:
    return f"byte 0x{data[offset]:02x}"


def _line(data: bytes, offset: int) -> int:
    """The physical line of the byte at ``offset``."""
    return data.count(b"\n", 0, offset) + 1


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
