"""The built-in report formats: json, text, markdown, csv and html."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import attrs

from ..outcomes.report import Figure, Group, Rate, Report, Tally, figure_value
from ..safety import csv_document, json_document, markdown_text
from .html import HtmlFormat
from .layout import Table, footer, heading, tables

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

    def render(self, report: Report) -> str:
        """The whole document as text."""
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


CSV_COLUMNS = (
    "breakdown",
    "group",
    "indicator",
    "gender",
    "count",
    "numerator",
    "denominator",
    "value",
    "ci95_low",
    "ci95_high",
    "suppressed",
)


@attrs.frozen
class CsvFormat:
    """One row per figure, machine-readable: withheld figures are empty, floats unrounded."""

    name: str = "csv"

    def render(self, report: Report) -> str:
        """Header then rows: population counts, rates, output counts, for the whole and each group."""
        return csv_document(CSV_COLUMNS, _report_rows(report))


def _report_rows(report: Report) -> Iterator[list[Any]]:
    yield from _group_rows("", "", Group(report.population, report.indicators))
    for dim, groups in report.breakdowns.items():
        for name, group in groups.items():
            yield from _group_rows(dim, name, group)


def _cell(figure: Figure | None) -> int | None:
    """A count as a number (the CSV writer keeps numbers as they are), None when withheld."""
    return None if figure is None else figure_value(figure)


def _group_rows(dim: str, group: str, data: Group) -> Iterator[list[Any]]:
    for key, figure in data.population.items():
        yield [dim, group, f"population.{key}", "", _cell(figure), "", "", "", "", "", ""]
    for indicator_id, value in data.indicators.items():
        if isinstance(value, Rate):
            low, high = value.ci95 if value.ci95 is not None else (None, None)
            yield [
                dim,
                group,
                indicator_id,
                "",
                "",
                _cell(value.numerator),
                _cell(value.denominator),
                value.value,
                low,
                high,
                "true" if value.suppressed else "false",
            ]
        elif isinstance(value, Tally):
            yield [dim, group, indicator_id, "", _cell(value.count), "", "", "", "", "", ""]
            for gender, figure in value.by_gender.items():
                yield [dim, group, indicator_id, gender, _cell(figure), "", "", "", "", "", ""]


BUILTIN_FORMATS: tuple[ReportFormat, ...] = (
    JsonFormat(),
    TextFormat(),
    MarkdownFormat(),
    CsvFormat(),
    HtmlFormat(),
)


def builtin_formats() -> dict[str, ReportFormat]:
    """The built-in formats by name."""
    return {f.name: f for f in BUILTIN_FORMATS}
