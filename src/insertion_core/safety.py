"""Output safety: what the project writes cannot run as a spreadsheet formula, drive a terminal
or inject markup, whatever ids, cohorts, names and labels the data holds.

Every CSV writer goes through :func:`csv_document` (or :func:`write_csv`, which streams), every JSON writer through
:func:`json_document`, every text written for a person through :func:`terminal_text`,
every markdown value through :func:`markdown_text`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import Any, TextIO

__all__ = [
    "FORMULA_STARTS",
    "csv_document",
    "json_document",
    "markdown_text",
    "spreadsheet_cell",
    "terminal_text",
    "write_csv",
]

#: What makes a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: What stands where a control character or an escape sequence was.
REPLACEMENT = "\ufffd"

# A whole CSI (colours, cursor moves, screen clears) or OSC (window title, hyperlink)
# sequence goes at once; any other control character, alone. Bidirectional overrides
# are included: they reorder what a terminal shows.
_SEQUENCE = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
_CONTROL = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_IN_LINES = re.compile(rf"{_SEQUENCE}|[{_CONTROL}]")
_IN_A_LINE = re.compile(rf"{_SEQUENCE}|[{_CONTROL}\t\n]")

# What JSON leaves raw but a terminal may obey: DEL, C1 controls, bidirectional overrides.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")


def terminal_text(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character and escape sequence replaced by U+FFFD.

    :param lines: keep newlines and tabs (a multi-line message); by default a value
        is one line, and a newline or tab in it is replaced too.
    """
    if text.isprintable():
        # No control, format (bidirectional) or separator character but the space:
        # nothing to replace, in either mode. Most values are such, and this is C speed.
        return text
    return (_IN_LINES if lines else _IN_A_LINE).sub(REPLACEMENT, text)


def spreadsheet_cell(value: object) -> object:
    """A CSV cell: numbers as they are; text made inert for spreadsheets and terminals.

    Text starting with one of :data:`FORMULA_STARTS` gets a leading ``'`` (so ``-0.05``
    written as text stays text, while the number -0.05 stays a number); control
    characters are replaced as by :func:`terminal_text`. None is an empty cell.
    """
    if type(value) is str:  # most cells: the checks below in their cheapest order
        text = value
    elif value is None:
        return ""
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    else:
        text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return terminal_text(text)


def csv_document(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    decimal_comma: bool = False,
    bom: bool = False,
) -> str:
    """The CSV text of ``header`` then ``rows``, each cell through :func:`spreadsheet_cell`.

    :param delimiter: ``;`` for the spreadsheets of locales whose decimal mark is a comma.
    :param decimal_comma: write numbers with a decimal comma (they stay numbers to a
        spreadsheet of such a locale).
    :param bom: start with a UTF-8 byte order mark, which spreadsheets need to read UTF-8.
    """
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    write_csv(buffer, header, rows, delimiter=delimiter, decimal_comma=decimal_comma)
    return buffer.getvalue()


def write_csv(
    out: TextIO,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    decimal_comma: bool = False,
) -> int:
    """Write ``header`` then ``rows`` to ``out`` as :func:`csv_document` would, one row at a
    time (nothing is kept in memory); the number of rows written."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")

    def comma_cell(value: object) -> object:
        safe = spreadsheet_cell(value)
        if isinstance(safe, float | Decimal):
            return str(safe).replace(".", ",")
        return safe

    cell = comma_cell if decimal_comma else spreadsheet_cell

    writer.writerow([spreadsheet_cell(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([cell(value) for value in row])
        count += 1
    return count


def json_document(value: Any, indent: int = 2) -> str:
    """``value`` as JSON with every control character as a ``\\u`` escape: exact, and inert.

    JSON itself escapes only U+0000 to U+001F; the others can only stand inside strings,
    where the escape decodes to the very same text.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def markdown_text(text: str) -> str:
    """``text`` for a markdown document: HTML escaped, markdown and table marks backslashed."""
    return _MARKDOWN.sub(r"\\\1", escape(text, quote=False))
