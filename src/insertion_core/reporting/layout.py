"""The layout shared by the text, markdown and html formats: a heading, then titled tables.

Every text it hands out has been through :func:`~.safety.terminal_text`: ids, cohorts,
names and labels from the data reach no format with a control character in them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from ..outcomes.report import Group, Rate, Report, Tally
from ..safety import terminal_text
from .cells import (
    figure_text,
    gender_split_label,
    group_label,
    indicator_label,
    rate_cells,
    tally_text,
)
from .document import local_date
from .labels import words
from .progress import target_text, time_tables, trend_rows
from .progress_labels import progress_words

__all__ = ["Table", "breakdown_rows", "footer", "heading", "tables"]


def _one_line(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Every cell on one line, without control characters."""
    return tuple(tuple(terminal_text(cell) for cell in row) for row in rows)


@attrs.frozen
class Table:
    """A titled table of text cells; the first row is the header."""

    title: str = attrs.field(converter=terminal_text)
    rows: tuple[tuple[str, ...], ...] = attrs.field(converter=_one_line)


def heading(report: Report) -> tuple[str, list[str]]:
    """The report's title and the lines saying how it was counted."""
    w = words(report.locale)
    name = report.programme_name or report.programme
    as_of = local_date(report.as_of, report.locale)
    title = f"{w['title']}: {name}, {w['as_of']} {as_of}"
    start = local_date(report.start, report.locale) if report.start else w["open"]
    lines = [
        f"{w['basis']}: {w['basis.' + report.basis]}",
        f"{w['period']}: {start} → {local_date(report.end, report.locale)}",
        w["min_cell"].format(k=report.min_cell) if report.min_cell > 0 else w["no_min_cell"],
    ]
    if report.min_cell > 0:  # the key, before the first table that uses it
        lines.append(w["legend"].format(k=report.min_cell, k1=report.min_cell - 1))
    lines += [
        w["merged"].format(
            group=group_label(w, m.group),
            into=group_label(w, m.into),
            dimension=w.get("dim." + m.dimension, m.dimension),
        )
        for m in report.merged
    ]
    lines += [
        w["withheld_breakdown"].format(dimension=w.get("dim." + d, d))
        for d in report.withheld_breakdowns
    ]
    return terminal_text(title), [terminal_text(line) for line in lines]


def footer(report: Report) -> list[str]:
    """The provenance: when, by which version, from which data, by which definitions."""
    w = words(report.locale)
    lines = []
    p = report.provenance
    versions = ", ".join(f"{name} v{v}" for name, v in p.definitions_version.items())
    lines.append(
        w["provenance"].format(
            generated_at=p.generated_at, version=p.library_version, sha=p.data_sha256
        )
        + f" ({versions})"
    )
    return [terminal_text(line) for line in lines]


def tables(report: Report) -> list[Table]:
    """Population, one or two tables per set, then one table per breakdown."""
    w = words(report.locale)
    k = report.min_cell
    population = [
        (w[f"population.{key}"], figure_text(v, k)) for key, v in report.population.items()
    ]
    found = [Table(w["population"], ((w["population"], w["count"]), *population))]
    for set_name, ids in report.sets.items():
        title = w.get(f"set.{set_name}") or report.set_titles.get(set_name, set_name)
        rates = [(i, report.indicators[i]) for i in ids if isinstance(report.indicators[i], Rate)]
        counts = [(i, report.indicators[i]) for i in ids if isinstance(report.indicators[i], Tally)]
        if rates:
            header: tuple[str, ...] = (w["indicator"], w["rate"], w["counts"], w["ci95"])
            body: tuple[tuple[str, ...], ...] = tuple(
                (indicator_label(report, i), *rate_cells(r, report))
                for i, r in rates
                if isinstance(r, Rate)
            )
            found.append(
                _with_targets(report, Table(title, (header, *body)), [i for i, _ in rates])
            )
        if counts:
            first = next(t for _, t in counts if isinstance(t, Tally))
            header = (w["indicator"], w["count"], gender_split_label(w, first))
            body = tuple(
                (indicator_label(report, i), *tally_text(t, k))
                for i, t in counts
                if isinstance(t, Tally)
            )
            found.append(
                _with_targets(report, Table(title, (header, *body)), [i for i, _ in counts])
            )
    for dim, groups in report.breakdowns.items():
        found.append(_breakdown(report, dim, groups))
    if report.trends:
        found.append(Table(progress_words(report.locale)["trends"], tuple(trend_rows(report))))
    found += [Table(title, tuple(rows)) for title, rows in time_tables(report)]
    return found


def _with_targets(report: Report, table: Table, ids: list[str]) -> Table:
    """The table with a target column when one of its indicators has a target."""
    if not any(i in report.targets for i in ids):
        return table
    header, *body = table.rows
    column = progress_words(report.locale)["target"]
    return Table(
        table.title,
        (
            (*header, column),
            *(
                (
                    *row,
                    target_text(
                        report.targets.get(i),
                        report.locale,
                        isinstance(report.indicators[i], Rate),
                    ),
                )
                for i, row in zip(ids, body, strict=True)
            ),
        ),
    )


def _breakdown(report: Report, dim: str, groups: Mapping[str, Group]) -> Table:
    w = words(report.locale)
    rows = breakdown_rows(report, groups, list(groups))
    label = w.get("dim." + dim) or progress_words(report.locale).get("dim." + dim, dim)
    return Table(f"{w['by']} {label}", rows)


def breakdown_rows(
    report: Report, groups: Mapping[str, Group], names: Sequence[str]
) -> tuple[tuple[str, ...], ...]:
    """The rows of a breakdown over the groups ``names``: populations, then every indicator."""
    w = words(report.locale)
    k = report.min_cell
    header = (w["indicator"], *(group_label(w, g) for g in names))
    rows: list[tuple[str, ...]] = [header]
    for key in ("selected", "mature"):
        rows.append(
            (w[f"population.{key}"], *(figure_text(groups[g].population[key], k) for g in names))
        )
    for indicator_id in report.indicators:
        cells = []
        for g in names:
            value = groups[g].indicators[indicator_id]
            if isinstance(value, Rate):
                pct, counts, _ = rate_cells(value, report)
                cells.append(f"{pct} ({counts})")
            else:
                cells.append(figure_text(value.count, k))
        rows.append((indicator_label(report, indicator_id), *cells))
    return tuple(rows)
