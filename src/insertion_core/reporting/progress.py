"""Tables of the trend per year, the targets and the time to first positive outcome.

Shared by the text, markdown and html formats through :func:`~.layout.tables`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..outcomes.report import Report
from ..outcomes.targets import TargetResult
from ..outcomes.time_to_outcome import CHECK_DAYS, TimeToOutcome, TimeToOutcomeReport
from .cells import group_label, indicator_label, percent
from .labels import words
from .progress_labels import progress_words

__all__ = ["target_text", "time_tables", "trend_rows"]

Rows = list[tuple[str, ...]]


def _points(value: float, locale: str) -> str:
    """A difference in percentage points, signed, one decimal (``+5.0``, ``−2,5`` in fr)."""
    text = f"{value:+.1f}".replace("-", "−")
    return text.replace(".", ",") if locale == "fr" else text


def target_text(result: TargetResult | None, locale: str, is_rate: bool) -> str:
    """``≥ 85.0% (gap −5.0 pts, not met, interval around)``; empty without a target."""
    if result is None:
        return ""
    p = progress_words(locale)
    shown = percent(result.target, locale) if is_rate else f"{result.target:g}"
    text = f"{p['target.' + result.direction]} {shown}"
    if result.gap is None or result.met is None:
        return text
    gap = _points(result.gap * 100, locale) if is_rate else f"{result.gap:+g}"
    parts = [
        p["target.gap"].format(gap=gap) if is_rate else gap,
        p["target.met" if result.met else "target.not_met"],
    ]
    if result.position is not None:
        parts.append(p["target." + result.position])
    return f"{text} ({', '.join(parts)})"


def trend_rows(report: Report) -> Rows:
    """Header then one row per rate: each year's value and its change in points."""
    p = progress_words(report.locale)
    years = sorted({year for trend in report.trends.values() for year in trend})
    rows: Rows = [(words(report.locale)["indicator"], *years)]
    for indicator_id, trend in report.trends.items():
        cells = []
        for year in years:
            found = trend.get(year)
            if found is None or found.value is None:
                cells.append(words(report.locale)["no_value"])
                continue
            cell = percent(found.value, report.locale)
            if found.change_pp is not None:
                change = p["trends.change"].format(pp=_points(found.change_pp, report.locale))
                cell += f" ({change})"
            cells.append(cell)
        rows.append((indicator_label(report, indicator_id), *cells))
    return rows


def _day_cells(found: TimeToOutcome, locale: str) -> list[str]:
    sep = " ; " if locale == "fr" else ", "
    cells = []
    for day in CHECK_DAYS:
        share = found.by_day[day]
        low, high = (percent(x, locale) for x in share.ci95)
        cells.append(f"{percent(share.share, locale)} [{low}{sep}{high}] n={share.at_risk}")
    return cells


def _header(locale: str) -> tuple[str, ...]:
    p = progress_words(locale)
    return (
        p["time.leavers"],
        p["time.events"],
        p["time.median"],
        *(f"{p['time.share'].format(day=day)} (n = {p['time.at_risk']})" for day in CHECK_DAYS),
    )


def _row(found: TimeToOutcome, locale: str) -> tuple[str, ...]:
    p = progress_words(locale)
    median = p["time.not_reached"] if found.median_days is None else str(found.median_days)
    return (str(found.leavers), str(found.events), median, *_day_cells(found, locale))


def time_tables(report: Report) -> list[tuple[str, Rows]]:
    """The whole estimate, then one table per breakdown with a row per group (internal only).

    ``n=`` after each share is the number of leavers still followed on that day.
    """
    estimate = report.time_to_outcome
    if not isinstance(estimate, TimeToOutcomeReport):  # public: in the JSON document only
        return []
    locale = report.locale
    p, w = progress_words(locale), words(locale)
    found = [(p["time"], _vertical(_header(locale), _row(estimate.whole, locale)))]
    for dim, groups in estimate.breakdowns.items():
        rows = _groups(groups, locale)
        label = p.get("dim." + dim) or w.get("dim." + dim, dim)
        found.append((f"{p['time.by']} {label}", rows))
    return found


def _vertical(header: Sequence[str], row: Sequence[str]) -> Rows:
    """A one-row table turned on its side: one line per figure, under an empty header."""
    return [("", ""), *zip(header, row, strict=True)]


def _groups(groups: Mapping[str, TimeToOutcome], locale: str) -> Rows:
    w = words(locale)
    rows: Rows = [(progress_words(locale)["time.group"], *_header(locale))]
    rows += [(group_label(w, g), *_row(found, locale)) for g, found in groups.items()]
    return rows
