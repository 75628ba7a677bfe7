"""The pieces of the HTML report page: escaped cells with their marks, tables, sections, figures.

Every text goes through :func:`~insertion_core.safety.terminal_text` and is
escaped here; the ``<k`` and ``s`` marks of a cell are tagged so that they look
different from the figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

import attrs

from ..outcomes.report import Report
from ..safety import terminal_text
from .cells import percent
from .progress_labels import progress_words

__all__ = [
    "Table",
    "cell_html",
    "chart_html",
    "definitions_html",
    "indicator_targets",
    "interval_text",
    "lines_html",
    "nbsp",
    "section_html",
    "table_html",
    "target_cell",
    "uses_mark",
]

#: ``<k``, a count below the disclosure threshold.
_SMALL = re.compile(r"&lt;\d+")
#: ``s`` alone, or in ``s/200``, ``(12/s)``: never the s of ``s.o.`` or of a word.
_WITHHELD = re.compile(r"(?<![^\s(/>])s(?=$|[\s/)<])")


def nbsp(text: str) -> str:
    """``10,0 %`` and ``[1 ; 2]`` kept on one line: the spaces before %, ; and ] are non-breaking."""
    return text.replace(" %", "\u00a0%").replace(" ;", "\u00a0;")


def cell_html(text: str) -> str:
    """An escaped cell whose ``<k`` and ``s`` marks are tagged so that they look different."""
    html = escape(nbsp(terminal_text(text)))
    html = _SMALL.sub(lambda m: f'<span class="mark small">{m.group()}</span>', html)
    return _WITHHELD.sub('<span class="mark withheld">s</span>', html)


def lines_html(text: str) -> str:
    """A cell of several lines (a value over its interval): each line escaped and marked."""
    return "<br>".join(cell_html(line) for line in text.split("\n"))


def uses_mark(rows: Sequence[Sequence[str]]) -> bool:
    """Whether a cell of ``rows`` carries a mark, so that the key goes under the table."""
    return any(cell_html(c) != escape(nbsp(terminal_text(c))) for row in rows for c in row)


@attrs.frozen
class Table:
    """A table with a caption; the first row is the header, each row's first cell its label."""

    caption: str
    rows: tuple[tuple[str, ...], ...]


def table_html(table: Table) -> list[str]:
    """A scrolling table: its caption, the header row, each row's label as a row header."""
    header, *body = table.rows
    out = [
        '<div class="scroll"><table>',
        f"<caption>{escape(terminal_text(table.caption))}</caption>",
        "<thead><tr>"
        + "".join(f'<th scope="col">{escape(terminal_text(c))}</th>' for c in header)
        + "</tr></thead>",
        "<tbody>",
    ]
    for label, *cells in body:
        out.append(
            f'<tr><th scope="row">{escape(terminal_text(label))}</th>'
            + "".join(f"<td>{lines_html(c)}</td>" for c in cells)
            + "</tr>"
        )
    return [*out, "</tbody>", "</table></div>"]


def section_html(
    report: Report, title: str, found: Sequence[Table], ids: Sequence[str], key: str
) -> list[str]:
    """A titled section: its tables, the key when they use a mark, the definitions it shows."""
    out = ["<section>", f"<h2>{escape(terminal_text(title))}</h2>"]
    for table in found:
        out += table_html(table)
    if key and any(uses_mark(t.rows) for t in found):
        out.append(f'<p class="key">{cell_html(key)}</p>')
    out += definitions_html(report, ids)
    return [*out, "</section>"]


def definitions_html(report: Report, ids: Sequence[str]) -> list[str]:
    """The definitions of the indicators ``ids`` the report has, as a definition list."""
    shown = [report.definitions[i] for i in ids if i in report.definitions]
    if not shown:
        return []
    out = ['<dl class="defs">']
    for definition in shown:
        out.append(f"<dt>{escape(definition.label(report.locale))}</dt>")
        out.append(f"<dd> — {escape(definition.text(report.locale))}</dd>")
    return [*out, "</dl>"]


def chart_html(title: str, svg: str, *tables: Table) -> list[str]:
    """The figure with its caption, then the table (or tables) of what it draws under it."""
    out = ['<div class="chart">', f"<figure>{svg}<figcaption>{escape(title)}</figcaption></figure>"]
    for table in tables:
        out += table_html(table)
    return [*out, "</div>"]


def indicator_targets(report: Report) -> Mapping[str, float]:
    """The programme's target of each indicator that has one."""
    return {key: result.target for key, result in report.targets.items()}


def target_cell(report: Report, indicator_id: str) -> str:
    """``≥ 85,0 %``: the target of a rate with its direction; empty without one."""
    result = report.targets.get(indicator_id)
    if result is None:
        return ""
    sign = progress_words(report.locale)["target." + result.direction]
    return f"{sign} {percent(result.target, report.locale)}"


def interval_text(ci95: tuple[float, float] | None, locale: str) -> str:
    """``[12,0 % ; 30,5 %]``: a 95% interval in the locale; empty without one."""
    if ci95 is None:
        return ""
    sep = " ; " if locale == "fr" else ", "
    return f"[{percent(ci95[0], locale)}{sep}{percent(ci95[1], locale)}]"
