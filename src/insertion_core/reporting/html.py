"""The built-in ``html`` report format: one self-contained page, for screen and A4 print.

No script, no external resource: the page can be mailed, archived or opened
offline. Charts are inline SVG with a text alternative and their table beside
them, in the Okabe–Ito colour-blind-safe palette. Every printed page carries the
audience; each table has its key to the marks and its definitions under it;
wide breakdowns wrap into tables of a few groups each. Every text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from html import escape

import attrs

from ..outcomes.report import Figure, Group, Masked, Rate, Report, Tally
from ..outcomes.time_to_outcome import CHECK_DAYS, TimeToOutcome, TimeToOutcomeReport
from ..safety import terminal_text
from .cells import figure_text, group_label, indicator_label, percent, rate_cells, tally_text
from .charts import (
    Bar,
    Point,
    Segment,
    Series,
    interval_chart,
    stacked_chart,
    step_chart,
    trend_chart,
)
from .document import (
    completeness,
    doc_words,
    employment_note,
    heading_facts,
    local_date,
    status_key,
)
from .layout import breakdown_rows, footer
from .progress import time_tables
from .progress_labels import progress_words

__all__ = ["HtmlFormat"]

#: Breakdown columns per table: more groups wrap into further tables.
GROUPS_PER_TABLE = 6
#: Rate columns per table of the trend chart (each cell is a value over its interval).
RATES_PER_TABLE = 4

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

_SMALL = re.compile(r"&lt;\d+")
#: ``s`` alone, or in ``s/200``, ``(12/s)``: never the s of ``s.o.`` or of a word.
_WITHHELD = re.compile(r"(?<![^\s(/>])s(?=$|[\s/)<])")


def _nbsp(text: str) -> str:
    """``10,0 %`` and ``[1 ; 2]`` kept on one line: the spaces before %, ; and ] are non-breaking."""
    return text.replace(" %", "\u00a0%").replace(" ;", "\u00a0;")


def _cell_html(text: str) -> str:
    """An escaped cell whose ``<k`` and ``s`` marks are tagged so that they look different."""
    html = escape(_nbsp(terminal_text(text)))
    html = _SMALL.sub(lambda m: f'<span class="mark small">{m.group()}</span>', html)
    return _WITHHELD.sub('<span class="mark withheld">s</span>', html)


def _lines_html(text: str) -> str:
    """A cell of several lines (a value over its interval): each line escaped and marked."""
    return "<br>".join(_cell_html(line) for line in text.split("\n"))


def _uses_mark(rows: Sequence[Sequence[str]]) -> bool:
    return any(_cell_html(c) != escape(_nbsp(terminal_text(c))) for row in rows for c in row)


@attrs.frozen
class _Table:
    """A table with a caption; the first row is the header, each row's first cell its label."""

    caption: str
    rows: tuple[tuple[str, ...], ...]


def _table(table: _Table) -> list[str]:
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
            + "".join(f"<td>{_lines_html(c)}</td>" for c in cells)
            + "</tr>"
        )
    return [*out, "</tbody>", "</table></div>"]


def _targets(report: Report) -> Mapping[str, float]:
    """The programme's target of each indicator that has one."""
    return {key: result.target for key, result in report.targets.items()}


def _target_cell(report: Report, indicator_id: str) -> str:
    """``≥ 85,0 %``: the target of a rate with its direction; empty without one."""
    result = report.targets.get(indicator_id)
    if result is None:
        return ""
    sign = progress_words(report.locale)["target." + result.direction]
    return f"{sign} {percent(result.target, report.locale)}"


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
                f'<p class="key"><strong>{escape(d["key"])}</strong>{colon} {_cell_html(key)}</p>'
            )
        out.append("</header>")
        out += _key_chart(report)
        out += _pathway(report)
        out += _trend_chart(report)
        out += _section(report, d["population"], [_population_table(report)], (), key)
        for set_name, ids in report.sets.items():
            title = d.get(f"set.{set_name}") or report.set_titles.get(set_name, set_name)
            out += _section(report, title, _set_tables(report, title, ids), ids, key)
        note = employment_note(report)
        if note:
            out += [f'<p class="note">{escape(note)}</p>']
        out += _time_charts(report)
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
        return _nbsp("\n".join(out)) + "\n"


def _section(
    report: Report, title: str, found: Sequence[_Table], ids: Sequence[str], key: str
) -> list[str]:
    """A titled section: its tables, the key when they use a mark, the definitions it shows."""
    out = ["<section>", f"<h2>{escape(terminal_text(title))}</h2>"]
    for table in found:
        out += _table(table)
    if key and any(_uses_mark(t.rows) for t in found):
        out.append(f'<p class="key">{_cell_html(key)}</p>')
    out += _definitions(report, ids)
    return [*out, "</section>"]


def _definitions(report: Report, ids: Sequence[str]) -> list[str]:
    shown = [report.definitions[i] for i in ids if i in report.definitions]
    if not shown:
        return []
    out = ['<dl class="defs">']
    for definition in shown:
        out.append(f"<dt>{escape(definition.label(report.locale))}</dt>")
        out.append(f"<dd> — {escape(definition.text(report.locale))}</dd>")
    return [*out, "</dl>"]


def _population_table(report: Report) -> _Table:
    d = doc_words(report.locale)
    rows = [
        (d[f"population.{key}"], figure_text(v, report.min_cell))
        for key, v in report.population.items()
    ]
    return _Table(d["population"], ((d["population"], d["count"]), *rows))


def _set_tables(report: Report, title: str, ids: Sequence[str]) -> list[_Table]:
    d = doc_words(report.locale)
    targets = _targets(report)
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
                row += (_target_cell(report, i),)
            body.append(row)
        found.append(_Table(title, (header, *body)))
    if tallies:
        header = (d["indicator"], d["count"], d["by_gender"])
        found.append(
            _Table(
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


def _key_chart(report: Report) -> list[str]:
    """The rates of the first set as bars with their intervals (and targets), beside their table."""
    d = doc_words(report.locale)
    ids = next(iter(report.sets.values()), ())
    targets = _targets(report)
    shown = [i for i in ids if isinstance(r := report.indicators[i], Rate) and r.value is not None]
    bars = [
        Bar(indicator_label(report, i), rate.value, rate.ci95, targets.get(i))
        for i in shown
        if isinstance(rate := report.indicators[i], Rate)
    ]
    if not bars:
        return []
    alt = d["chart.key_figures.alt"].format(
        n=len(bars), targets=d["chart.targets"] if any(b.target is not None for b in bars) else ""
    )
    svg = interval_chart(bars, alt, report.locale)
    with_targets = any(b.target is not None for b in bars)
    rows: list[tuple[str, ...]] = [
        (d["indicator"], d["rate"], d["ci95"], *((d["target"],) if with_targets else ()))
    ]
    for i, bar in zip(shown, bars, strict=True):
        row: tuple[str, ...] = (
            bar.label,
            percent(bar.value or 0.0, report.locale),
            _interval(bar.ci95, report.locale),
        )
        if with_targets:
            row += (_target_cell(report, i),)
        rows.append(row)
    return _chart(d["chart.key_figures"], svg, _Table(d["table.chart"], tuple(rows)))


def _chart(title: str, svg: str, *tables: _Table) -> list[str]:
    """The figure with its caption, then the table (or tables) of what it draws under it."""
    out = ['<div class="chart">', f"<figure>{svg}<figcaption>{escape(title)}</figcaption></figure>"]
    for table in tables:
        out += _table(table)
    return [*out, "</div>"]


_CLASS_ORDER = ("dropout", "none")


def _pathway(report: Report) -> list[str]:
    """Selected participants by where they are, then mature leavers by outcome class."""
    d = doc_words(report.locale)
    first: list[Segment] = []
    for key in ("in_programme", "pending", "neutralised", "mature"):
        figure = report.population.get(key)
        if figure is not None:
            first.append(
                Segment(
                    d[f"population.{key}"], _count(figure), figure_text(figure, report.min_cell)
                )
            )
    second: list[Segment] = []
    for indicator_id, rate in _class_rates(report):
        second.append(
            Segment(
                indicator_label(report, indicator_id),
                _count(rate.numerator),
                figure_text(rate.numerator, report.min_cell),
            )
        )
    if not first or not second:
        return []
    svg = stacked_chart(
        [(d["chart.pathway.selected"], first), (d["chart.pathway.mature"], second)],
        d["chart.pathway.alt"],
    )
    colon = " : " if report.locale == "fr" else ": "
    rows = [(d["indicator"], d["count"])]
    for bar, segments in (("chart.pathway.selected", first), ("chart.pathway.mature", second)):
        rows += [(f"{d[bar]}{colon}{s.label}", s.text) for s in segments]
    return _chart(d["chart.pathway"], svg, _Table(d["table.chart"], tuple(rows)))


def _count(figure: Figure) -> int | None:
    return None if isinstance(figure, Masked) else figure


def _class_rates(report: Report) -> Iterator[tuple[str, Rate]]:
    """The key figures' outcome classes, which split the mature leavers: dropout, families, none."""
    ids = report.sets.get("key_figures", ())
    skip = {"remobilisation_rate", "followup_response_rate"}
    for i in ids:
        rate = report.indicators.get(i)
        if isinstance(rate, Rate) and i.endswith("_rate") and i not in skip:
            yield i, rate


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
        *_table(_Table(d["completeness"], tuple(rows))),
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
        found.append(_Table(caption, breakdown_rows(report, groups, chunk)))
    out = ["<section>", f"<h2>{escape(terminal_text(title))}</h2>"]
    out += _group_chart(report, groups, title)
    for table in found:
        out += _table(table)
    if key and any(_uses_mark(t.rows) for t in found):
        out.append(f'<p class="key">{_cell_html(key)}</p>')
    out += _definitions(
        report, [i for i in report.indicators if isinstance(report.indicators[i], Rate)]
    )
    return [*out, "</section>"]


def _headline(report: Report) -> str | None:
    for candidate in ("remobilisation_rate", "positive_exit_rate"):
        if candidate in report.indicators:
            return candidate
    return next((i for i, r in report.indicators.items() if isinstance(r, Rate)), None)


def _group_chart(report: Report, groups: Mapping[str, Group], title: str) -> list[str]:
    """The headline rate of each group with its interval: one row per group, 2 or 25 alike."""
    headline = _headline(report)
    if headline is None:
        return []
    d = doc_words(report.locale)
    label = indicator_label(report, headline)
    bars = []
    rows = [(d["xlsx.group"], label, d["ci95"])]
    for name, group in groups.items():
        rate = group.indicators.get(headline)
        if not isinstance(rate, Rate):
            continue
        pct, _, interval = rate_cells(rate, report)
        bars.append(Bar(group_label(d, name), rate.value, rate.ci95, None))
        rows.append((group_label(d, name), pct, interval))
    if not any(b.value is not None for b in bars):
        return []
    alt = d["chart.key_figures.alt"].format(n=len(bars), targets="")
    svg = interval_chart(bars, f"{title} — {label}. {alt}", report.locale)
    return _chart(f"{label} — {title}", svg, _Table(d["table.chart"], tuple(rows)))


def _interval(ci95: tuple[float, float] | None, locale: str) -> str:
    if ci95 is None:
        return ""
    sep = " ; " if locale == "fr" else ", "
    return f"[{percent(ci95[0], locale)}{sep}{percent(ci95[1], locale)}]"


def _trend_chart(report: Report) -> list[str]:
    """The key rates per year (``--by year``) as lines with intervals, beside a year-by-rate table."""
    if not report.trends:
        return []
    d = doc_words(report.locale)
    key_ids = next(iter(report.sets.values()), ())
    ids = [i for i in key_ids if i in report.trends] or list(report.trends)[:4]
    years = sorted({year for i in ids for year in report.trends[i]})
    series = []
    for i in ids:
        by_year = report.trends[i]
        points = tuple(
            Point(n, found.value, found.ci95)
            for n, year in enumerate(years)
            if (found := by_year.get(year)) is not None and found.value is not None
        )
        series.append(Series(indicator_label(report, i), points))
    alt = d["chart.trend.alt"].format(n=len(series), years=len(years))
    svg = trend_chart(years, series, alt, report.locale)
    rows: list[tuple[str, ...]] = [(d["chart.trend.year"], *(s.label for s in series))]
    for year in years:
        cells = []
        for i in ids:
            found = report.trends[i].get(year)
            if found is None or found.value is None:
                cells.append(d["no_value"])
            else:
                cells.append(
                    f"{percent(found.value, report.locale)}\n{_interval(found.ci95, report.locale)}"
                )
        rows.append((year, *cells))
    tables = [
        _Table(
            d["table.chart"],
            tuple((row[0], *row[1 + start : 1 + start + RATES_PER_TABLE]) for row in rows),
        )
        for start in range(0, len(ids), RATES_PER_TABLE)
    ]
    return _chart(d["chart.trend"], svg, *tables)


def _time_charts(report: Report) -> list[str]:
    """The time-to-outcome curve of all leavers, then one chart per breakdown with a curve a group.

    Each beside the table of the same estimate (shares on the check days, numbers followed).
    """
    estimate = report.time_to_outcome
    if not isinstance(estimate, TimeToOutcomeReport):  # none, or a public report's grid
        return []
    d = doc_words(report.locale)
    tables = time_tables(report)
    scopes: list[Mapping[str, TimeToOutcome]] = [{d["chart.time.whole"]: estimate.whole}]
    scopes += [
        {group_label(d, name): found for name, found in groups.items()}
        for groups in estimate.breakdowns.values()
    ]
    out = []
    for (title, rows), scope in zip(tables, scopes, strict=True):
        svg = _time_svg(report, scope)
        header, *body = rows
        # the share over its interval and the number followed: narrow enough for A4
        table = _Table(
            title,
            (
                header,
                *(
                    tuple(c.replace(" [", "\n[", 1).replace("] n=", "]\nn=") for c in r)
                    for r in body
                ),
            ),
        )
        out += ["<section>", f"<h2>{escape(terminal_text(title))}</h2>"]
        out += _chart(d["chart.time"], svg, table)
        out.append("</section>")
    return out


def _time_svg(report: Report, scope: Mapping[str, TimeToOutcome]) -> str:
    d = doc_words(report.locale)
    days = (0, *CHECK_DAYS)
    series = [
        Series(label, tuple(Point(p.day, p.share, p.ci95) for p in found.curve))
        for label, found in scope.items()
    ]
    counts = [
        [str(found.leavers), *(str(found.by_day[day].at_risk) for day in CHECK_DAYS)]
        for found in scope.values()
    ]
    sep = " ; " if report.locale == "fr" else ", "
    alt = d["chart.time.alt"].format(n=len(series), days=sep.join(str(day) for day in days))
    last = max([CHECK_DAYS[-1], *(p.day for found in scope.values() for p in found.curve)])
    return step_chart(series, last, (d["chart.time.at_risk"], counts), days, alt, report.locale)
