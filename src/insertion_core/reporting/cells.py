"""Formatting of figures, rates and labels shared by the human-readable formats."""

from __future__ import annotations

from ..outcomes.report import Figure, Masked, Rate, Report, Tally
from .labels import Words, words

__all__ = [
    "figure_text",
    "gender_split_label",
    "group_label",
    "indicator_label",
    "percent",
    "rate_cells",
    "tally_text",
]


def figure_text(figure: Figure, min_cell: int) -> str:
    """A count, ``<k`` for a small cell, ``s`` for one withheld to protect another."""
    if isinstance(figure, Masked):
        return f"<{min_cell}" if figure.reason == "small" else "s"
    return str(figure)


def percent(value: float, locale: str) -> str:
    """``43.1 %`` (one decimal, French decimal comma in ``fr``)."""
    text = f"{100 * value:.1f}"
    return (text.replace(".", ",") + " %") if locale == "fr" else text + "%"


def rate_cells(rate: Rate, report: Report) -> tuple[str, str, str]:
    """Percent, ``n/N`` and the interval of a rate, as text."""
    w = words(report.locale)
    counts = (
        f"{figure_text(rate.numerator, report.min_cell)}/"
        f"{figure_text(rate.denominator, report.min_cell)}"
    )
    if rate.suppressed:
        return (w["suppressed"], counts, "")
    if rate.value is None or rate.ci95 is None:
        return (w["no_value"], counts, "")
    low, high = (percent(x, report.locale) for x in rate.ci95)
    sep = " ; " if report.locale == "fr" else ", "
    return (percent(rate.value, report.locale), counts, f"[{low}{sep}{high}]")


def gender_split_label(w: Words, tally: Tally) -> str:
    """``F / M / X / unknown`` in the report's words, without a category that was merged."""
    return " / ".join(group_label(w, key) for key in tally.by_gender)


def tally_text(tally: Tally, min_cell: int) -> tuple[str, str]:
    """The count and its gender split ``F / M / X / unknown``."""
    split = " / ".join(figure_text(v, min_cell) for v in tally.by_gender.values())
    return (figure_text(tally.count, min_cell), split)


def indicator_label(report: Report, indicator_id: str) -> str:
    """The indicator's label in the report's locale, its id when unknown."""
    definition = report.definitions.get(indicator_id)
    return definition.label(report.locale) if definition else indicator_id


def group_label(w: Words, group: str) -> str:
    """A breakdown group's label (cohort ids and levels as they are)."""
    return w.get(f"group.{group}", group)
