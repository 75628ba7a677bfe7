"""The built-in ``csv`` report format, in two dialects.

``locale`` is what the programme's spreadsheets open as they are: for ``fr``,
``;`` between cells, a decimal comma, UTF-8 with a byte order mark, French
headers and labels, rates in percent rounded as the report shows them. ``plain``
is RFC 4180 for programs: commas, full precision, codes instead of labels.
Both give each count its status (``shown``, ``small``, ``withheld``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from ..domain.programme import CsvDialect
from ..outcomes.report import Figure, Group, Rate, Report, Tally, figure_status, figure_value
from ..safety import csv_document
from .cells import group_label, indicator_label
from .document import doc_words

__all__ = ["CSV_COLUMNS", "CsvFormat", "csv_text"]

#: The columns of the ``plain`` dialect.
CSV_COLUMNS = (
    "breakdown",
    "group",
    "indicator",
    "gender",
    "count",
    "count_status",
    "numerator",
    "numerator_status",
    "denominator",
    "denominator_status",
    "value",
    "ci95_low",
    "ci95_high",
    "suppressed",
)

_LOCALE_COLUMNS = {
    "fr": (
        "répartition",
        "groupe",
        "indicateur",
        "code",
        "genre",
        "effectif",
        "statut effectif",
        "numérateur",
        "statut numérateur",
        "dénominateur",
        "statut dénominateur",
        "taux (%)",
        "IC 95 % bas (%)",
        "IC 95 % haut (%)",
        "statut taux",
    ),
    "en": (
        "breakdown",
        "group",
        "indicator",
        "code",
        "gender",
        "count",
        "count status",
        "numerator",
        "numerator status",
        "denominator",
        "denominator status",
        "rate (%)",
        "95% CI low (%)",
        "95% CI high (%)",
        "rate status",
    ),
}


def rate_status(rate: Rate) -> str:
    """``shown``, or the status of the count that hides the rate."""
    if not rate.suppressed:
        return "shown"
    for figure in (rate.numerator, rate.denominator):
        if figure_status(figure) != "shown":
            return figure_status(figure)
    return "withheld"


@attrs.frozen
class CsvFormat:
    """One row per figure; ``dialect`` says for whom (see the module's docstring)."""

    name: str = "csv"
    dialect: CsvDialect = "locale"

    def render(self, report: Report) -> str:
        """Header then rows: population counts, rates, output counts, for the whole and each group."""
        return csv_text(report, self.dialect)


#: The last column says on every row whom the figures are for.
_AUDIENCE = {
    "fr": ("diffusion", "interne — ne pas diffuser", "publique (secret statistique, k = {k})"),
    "en": ("audience", "internal — not for publication", "public (disclosure control, k = {k})"),
}


def _audience(report: Report, lang: str) -> tuple[str, str]:
    """The audience column's name and value in ``lang``."""
    column, internal, public = _AUDIENCE[lang]
    return column, public.format(k=report.min_cell) if report.audience == "public" else internal


def csv_text(report: Report, dialect: CsvDialect) -> str:
    """The report's CSV document in ``dialect``; every row says its audience."""
    if dialect == "plain":
        rows = ([*row, report.audience] for row in _rows(report, _plain_row))
        return csv_document((*CSV_COLUMNS, "audience"), rows)
    lang = "fr" if report.locale == "fr" else "en"
    french = lang == "fr"
    column, audience = _audience(report, lang)
    return csv_document(
        (*_LOCALE_COLUMNS[lang], column),
        ([*row, audience] for row in _rows(report, _locale_row)),
        delimiter=";" if french else ",",
        decimal_comma=french,
        bom=True,
    )


@attrs.frozen
class _Line:
    """One figure of the report, before a dialect writes it."""

    dim: str
    group: str
    indicator: str
    gender: str = ""
    count: Figure | None = None
    rate: Rate | None = None


def _rows(report: Report, write: Any) -> Iterator[list[Any]]:
    for line in _lines(report):
        yield write(report, line)


def _lines(report: Report) -> Iterator[_Line]:
    yield from _group_lines("", "", Group(report.population, report.indicators))
    for dim, groups in report.breakdowns.items():
        for name, group in groups.items():
            yield from _group_lines(dim, name, group)


def _group_lines(dim: str, group: str, data: Group) -> Iterator[_Line]:
    for key, figure in data.population.items():
        yield _Line(dim, group, f"population.{key}", count=figure)
    for indicator_id, value in data.indicators.items():
        if isinstance(value, Rate):
            yield _Line(dim, group, indicator_id, rate=value)
        elif isinstance(value, Tally):
            yield _Line(dim, group, indicator_id, count=value.count)
            for gender, figure in value.by_gender.items():
                yield _Line(dim, group, indicator_id, gender, count=figure)


def _counts(line: _Line) -> list[Any]:
    """Count, numerator, denominator and their statuses (codes)."""
    out: list[Any] = []
    rate = line.rate
    for figure in (
        line.count,
        rate.numerator if rate else None,
        rate.denominator if rate else None,
    ):
        out += ["", ""] if figure is None else [figure_value(figure), figure_status(figure)]
    return out


def _plain_row(report: Report, line: _Line) -> list[Any]:
    rate = line.rate
    value = low = high = None
    if rate is not None:
        value = rate.value
        low, high = rate.ci95 if rate.ci95 is not None else (None, None)
    suppressed = "" if rate is None else ("true" if rate.suppressed else "false")
    return [
        line.dim,
        line.group,
        line.indicator,
        line.gender,
        *_counts(line),
        value,
        low,
        high,
        suppressed,
    ]


def _percent(value: float | None) -> float | None:
    """A rate in percent, rounded to the one decimal the report shows."""
    return None if value is None else round(100 * value, 1)


def _locale_row(report: Report, line: _Line) -> list[Any]:
    lang = "fr" if report.locale == "fr" else "en"
    w = doc_words(lang)
    counts = _counts(line)
    for i in (1, 3, 5):
        counts[i] = w.get(f"status.{counts[i]}", counts[i])
    if line.indicator.startswith("population."):
        label = w.get(line.indicator, line.indicator)
    else:
        label = indicator_label(report, line.indicator)
    rate = line.rate
    pct = low = high = None
    rate_word = ""
    if rate is not None:
        pct = _percent(rate.value)
        if rate.ci95 is not None:
            low, high = (_percent(x) for x in rate.ci95)
        rate_word = w[f"status.{rate_status(rate)}"]
    gender = group_label(w, line.gender) if line.gender else ""
    return [
        w.get(f"dim.{line.dim}", line.dim) if line.dim else "",
        group_label(w, line.group) if line.group else "",
        label,
        line.indicator,
        gender,
        *counts,
        pct,
        low,
        high,
        rate_word,
    ]
