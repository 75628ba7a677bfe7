"""The charts of the HTML report page, each beside the table of what it draws.

Key figures with their intervals and targets, the participants' pathway, the
rates by year, the headline rate by group and the time-to-outcome curves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from html import escape

from ..outcomes.report import Figure, Group, Masked, Rate, Report
from ..outcomes.time_to_outcome import CHECK_DAYS, TimeToOutcome, TimeToOutcomeReport
from ..safety import terminal_text
from .cells import figure_text, group_label, indicator_label, percent, rate_cells
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
from .document import doc_words
from .html_blocks import Table, chart_html, indicator_targets, interval_text, target_cell
from .progress import time_tables

__all__ = ["group_chart", "key_chart", "pathway_chart", "time_charts", "trend_chart_html"]

#: Rate columns per table of the trend chart (each cell is a value over its interval).
RATES_PER_TABLE = 4


def key_chart(report: Report) -> list[str]:
    """The rates of the first set as bars with their intervals (and targets), beside their table."""
    d = doc_words(report.locale)
    ids = next(iter(report.sets.values()), ())
    targets = indicator_targets(report)
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
            interval_text(bar.ci95, report.locale),
        )
        if with_targets:
            row += (target_cell(report, i),)
        rows.append(row)
    return chart_html(d["chart.key_figures"], svg, Table(d["table.chart"], tuple(rows)))


def pathway_chart(report: Report) -> list[str]:
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
    return chart_html(d["chart.pathway"], svg, Table(d["table.chart"], tuple(rows)))


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


def _headline(report: Report) -> str | None:
    for candidate in ("remobilisation_rate", "positive_exit_rate"):
        if candidate in report.indicators:
            return candidate
    return next((i for i, r in report.indicators.items() if isinstance(r, Rate)), None)


def group_chart(report: Report, groups: Mapping[str, Group], title: str) -> list[str]:
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
    return chart_html(f"{label} — {title}", svg, Table(d["table.chart"], tuple(rows)))


def trend_chart_html(report: Report) -> list[str]:
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
                    f"{percent(found.value, report.locale)}\n{interval_text(found.ci95, report.locale)}"
                )
        rows.append((year, *cells))
    tables = [
        Table(
            d["table.chart"],
            tuple((row[0], *row[1 + start : 1 + start + RATES_PER_TABLE]) for row in rows),
        )
        for start in range(0, len(ids), RATES_PER_TABLE)
    ]
    return chart_html(d["chart.trend"], svg, *tables)


def time_charts(report: Report) -> list[str]:
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
        table = Table(
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
        out += chart_html(d["chart.time"], svg, table)
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
