"""The built-in ``html`` report format: one self-contained page, for screen and A4 print.

No script, no external resource: the page can be mailed, archived or opened
offline. Charts are inline SVG with a text alternative and their table beside
them, in the Okabe–Ito colour-blind-safe palette. Every printed page carries the
audience; each table has its key to the marks and its definitions under it;
wide breakdowns wrap into tables of a few groups each. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import attrs

from ..outcomes.report import Group, Rate, Report, Tally
from ..safety import terminal_text
from .cells import figure_text, indicator_label, percent, rate_cells, tally_text
from .document import (
    completeness,
    doc_words,
    employment_note,
    heading_facts,
    local_date,
    status_key,
)
from .html_blocks import (
    Table,
    cell_html,
    definitions_html,
    indicator_targets,
    nbsp,
    section_html,
    table_html,
    target_cell,
    uses_mark,
)
from .html_charts import group_chart, key_chart, pathway_chart, time_charts, trend_chart_html
from .layout import breakdown_rows, footer
from .progress_labels import progress_words

__all__ = ["HtmlFormat"]

#: Breakdown columns per table: more groups wrap into further tables.
GROUPS_PER_TABLE = 6


_STYLE = """
@page { size: A4; margin: 18mm 14mm 16mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
:root { color-scheme: light; }
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 1.5rem auto; max-width: 62rem;
  padding: 0 1rem; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: .3rem 0; } h2 { font-size: 1.15rem; margin-top: 1.8rem; }
h2, h3, caption, .key { break-after: avoid; page-break-after: avoid; }
.audience { border: 2px solid #b00020; color: #b00020; font-weight: 700; padding: .3rem .6rem;
  display: inline-block; }
.audience.public { border-color: #0072b2; color: #0072b2; }
.facts { display: flex; flex-wrap: wrap; gap: .2rem 1.5rem; padding: 0; list-style: none; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .92rem; }
caption { text-align: left; font-size: .85rem; color: #444; padding: .2rem 0; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
thead th { background: #f2f2f2; } thead th:first-child { text-align: left; }
th[scope=row] { text-align: left; font-weight: 400; min-width: 9rem; }
td, thead th + th { text-align: right; }
td { font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; } tr { break-inside: avoid; page-break-inside: avoid; }
.mark { font-weight: 700; border-radius: 3px; padding: 0 .15rem; }
.mark.small { background: #fde9c4; } .mark.withheld { background: #dcdcdc; font-style: italic; }
.scroll { overflow-x: auto; max-width: 100%; }
.key { font-size: .85rem; color: #333; margin: .2rem 0; }
dl.defs { font-size: .82rem; color: #333; margin: .3rem 0 1rem; }
dl.defs dt { font-weight: 600; display: inline; } dl.defs dd { display: inline; margin: 0; }
dl.defs dd::after { content: ""; display: block; margin-bottom: .25rem; }
.chart { break-inside: avoid; page-break-inside: avoid; margin: .6rem 0; }
.chart figure { margin: 0 0 .3rem; max-width: 42rem; }
.chart svg { width: 100%; height: auto; display: block; }
.chart table { width: auto; min-width: 60%; }
figcaption { font-size: .85rem; font-weight: 600; }
.note { font-size: .92rem; max-width: 48rem; }
footer { color: #555; font-size: .8rem; margin-top: 2rem; word-break: break-all; }
@media print { body { margin: 0; max-width: none; font-size: 9.5pt; padding: 0; }
  table { font-size: 8.5pt; } .chart figure { max-width: 34rem; }
  .scroll { overflow: visible; } }
@media (max-width: 40rem) { body { padding: 0 .4rem; } table { font-size: .8rem; }
  th, td { padding: .2rem .25rem; } }
""".strip()


@attrs.frozen
class HtmlFormat:
    """A standalone HTML page: heading, charts, tables with their key and definitions."""

    name: str = "html"

    def render(self, report: Report) -> str:
        """The whole page, in the report's language."""
        d = doc_words(report.locale)
        lang = "fr" if report.locale == "fr" else "en"
        facts = heading_facts(report)
        page_mark = facts.audience.replace("\\", "").replace("'", "’").replace("<", "")
        out = [
            "<!DOCTYPE html>",
            f'<html lang="{lang}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(terminal_text(facts.title))}</title>",
            f"<style>{_STYLE}\n@page {{ @top-center {{ content: '{page_mark}'; "
            "font-size: 8pt; color: #b00020; } }</style>",
            "</head>",
            "<body>",
            "<header>",
            f'<p class="audience {report.audience}">{escape(facts.audience)}</p>',
            f"<h1>{escape(terminal_text(facts.title))}</h1>",
            '<ul class="facts">',
        ]
        shown = [v if isinstance(v, str) else local_date(v, report.locale) for _, v in facts.fields]
        for (label, _), value in zip(facts.fields[:2], shown, strict=False):
            out.append(f"<li>{escape(label)} {escape(terminal_text(value))}</li>")
        period = f"{d['period']} {shown[2]} → {shown[3]}"
        out.append(f"<li>{escape(terminal_text(period))}</li>")
        out += ["</ul>"]
        key = status_key(report)
        if key:
            colon = " :" if report.locale == "fr" else ":"
            out.append(
                f'<p class="key"><strong>{escape(d["key"])}</strong>{colon} {cell_html(key)}</p>'
            )
        out.append("</header>")
        out += key_chart(report)
        out += pathway_chart(report)
        out += trend_chart_html(report)
        out += section_html(report, d["population"], [_population_table(report)], (), key)
        for set_name, ids in report.sets.items():
            title = d.get(f"set.{set_name}") or report.set_titles.get(set_name, set_name)
            out += section_html(report, title, _set_tables(report, title, ids), ids, key)
        note = employment_note(report)
        if note:
            out += [f'<p class="note">{escape(note)}</p>']
        out += time_charts(report)
        out += _completeness(report)
        for dim, groups in report.breakdowns.items():
            out += _breakdown(report, dim, groups, key)
        out += [
            "<footer>",
            *(f"<p>{escape(line)}</p>" for line in footer(report)),
            "</footer>",
            "</body>",
            "</html>",
        ]
        return nbsp("\n".join(out)) + "\n"


def _population_table(report: Report) -> Table:
    d = doc_words(report.locale)
    rows = [
        (d[f"population.{key}"], figure_text(v, report.min_cell))
        for key, v in report.population.items()
    ]
    return Table(d["population"], ((d["population"], d["count"]), *rows))


def _set_tables(report: Report, title: str, ids: Sequence[str]) -> list[Table]:
    d = doc_words(report.locale)
    targets = indicator_targets(report)
    found = []
    rates = [(i, r) for i in ids if isinstance(r := report.indicators[i], Rate)]
    tallies = [(i, t) for i in ids if isinstance(t := report.indicators[i], Tally)]
    if rates:
        header: tuple[str, ...] = (d["indicator"], d["rate"], d["counts"], d["ci95"])
        with_targets = any(i in targets for i, _ in rates)
        if with_targets:
            header += (d["target"],)
        body = []
        for i, rate in rates:
            row: tuple[str, ...] = (indicator_label(report, i), *rate_cells(rate, report))
            if with_targets:
                row += (target_cell(report, i),)
            body.append(row)
        found.append(Table(title, (header, *body)))
    if tallies:
        header = (d["indicator"], d["count"], d["by_gender"])
        found.append(
            Table(
                title,
                (
                    header,
                    *(
                        (indicator_label(report, i), *tally_text(t, report.min_cell))
                        for i, t in tallies
                    ),
                ),
            )
        )
    return found


def _completeness(report: Report) -> list[str]:
    found = completeness(report)
    if not found:
        return []
    d = doc_words(report.locale)
    rows = [(d["completeness.field"], d["completeness.known"], d["completeness.share"])]
    rows += [
        (label, str(known), percent(share, report.locale) if share is not None else d["no_value"])
        for label, known, share in found
    ]
    return [
        "<section>",
        f"<h2>{escape(d['completeness'])}</h2>",
        *table_html(Table(d["completeness"], tuple(rows))),
        f'<p class="key">{escape(d["completeness.note"])}</p>',
        "</section>",
    ]


def _breakdown(report: Report, dim: str, groups: Mapping[str, Group], key: str) -> list[str]:
    """One section per breakdown: a chart of the headline rate by group, tables of a few groups."""
    d = doc_words(report.locale)
    named = d.get("dim." + dim) or progress_words(report.locale).get("dim." + dim, dim)
    title = f"{d['by']} {named}"
    names = list(groups)
    found = []
    for start in range(0, len(names), GROUPS_PER_TABLE):
        chunk = names[start : start + GROUPS_PER_TABLE]
        caption = title if start == 0 else f"{title} ({start + 1}–{start + len(chunk)})"
        found.append(Table(caption, breakdown_rows(report, groups, chunk)))
    out = ["<section>", f"<h2>{escape(terminal_text(title))}</h2>"]
    out += group_chart(report, groups, title)
    for table in found:
        out += table_html(table)
    if key and any(uses_mark(t.rows) for t in found):
        out.append(f'<p class="key">{cell_html(key)}</p>')
    out += definitions_html(
        report, [i for i in report.indicators if isinstance(report.indicators[i], Rate)]
    )
    return [*out, "</section>"]
