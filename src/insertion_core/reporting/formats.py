"""The built-in report formats: json, text, markdown, csv, html and xlsx."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import Protocol

import attrs

from ..outcomes.report import Report
from ..safety import json_document, markdown_text
from .csv_format import CsvFormat
from .html import HtmlFormat
from .layout import Table, footer, heading, tables
from .xlsx_format import XlsxFormat

__all__ = [
    "BUILTIN_FORMATS",
    "CsvFormat",
    "JsonFormat",
    "MarkdownFormat",
    "ReportFormat",
    "TextFormat",
    "builtin_formats",
]


class ReportFormat(Protocol):
    """A way to write a report: ``insertion report --format NAME``."""

    @property
    def name(self) -> str:
        """What ``--format`` calls the format."""
        ...

    def render(self, report: Report) -> str | bytes:
        """The whole document: text, or bytes for a binary format such as xlsx."""
        ...


@attrs.frozen
class JsonFormat:
    """The report document (docs/data-formats.md, The report document), indented, floats unrounded."""

    name: str = "json"

    def render(self, report: Report) -> str:
        """The JSON document and a final newline."""
        return json_document(report.to_json_dict()) + "\n"


def _width(text: str) -> int:
    """Columns a string takes in a terminal (combining marks take none)."""
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


@attrs.frozen
class TextFormat:
    """Aligned tables for a terminal; labels in the programme's locale, ``<k`` for small cells."""

    name: str = "text"

    def render(self, report: Report) -> str:
        """Heading, tables and footer."""
        title, lines = heading(report)
        out = [title, "=" * _width(title), *lines, ""]
        for table in tables(report):
            out += [table.title, "-" * _width(table.title), *self._table(table.rows), ""]
        out += footer(report)
        return "\n".join(out) + "\n"

    @staticmethod
    def _table(rows: Sequence[Sequence[str]]) -> Iterator[str]:
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = [_pad(cell, widths[i], right=i > 0) for i, cell in enumerate(row)]
            yield "  ".join(cells).rstrip()


@attrs.frozen
class MarkdownFormat:
    """The same tables as text, as GitHub-flavoured markdown."""

    name: str = "markdown"

    def render(self, report: Report) -> str:
        """A level-1 title, the heading as a list, one level-2 section per table."""
        title, lines = heading(report)
        out = [f"# {markdown_text(title)}", "", *(f"- {markdown_text(line)}" for line in lines), ""]
        for table in tables(report):
            out += [f"## {markdown_text(table.title)}", "", *self._table(table), ""]
        out += [f"_{markdown_text(line)}_" for line in footer(report)]
        return "\n".join(out) + "\n"

    @staticmethod
    def _table(table: Table) -> Iterator[str]:
        header, *body = table.rows
        yield "| " + " | ".join(markdown_text(c) for c in header) + " |"
        yield "|" + "|".join(["---", *("---:" for _ in header[1:])]) + "|"
        for row in body:
            yield "| " + " | ".join(markdown_text(c) for c in row) + " |"


BUILTIN_FORMATS: tuple[ReportFormat, ...] = (
    JsonFormat(),
    TextFormat(),
    MarkdownFormat(),
    CsvFormat(),
    HtmlFormat(),
    XlsxFormat(),
)


def builtin_formats() -> dict[str, ReportFormat]:
    """The built-in formats by name."""
    return {f.name: f for f in BUILTIN_FORMATS}
