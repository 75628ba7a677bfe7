"""``insertion report``: the outcome figures of a programme, in a format plugin's rendering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import click

from .app import CliState, pass_state
from .options import ISO_DATE, as_of_option, programme_option, split_names, write_output


@click.command("report")
@programme_option
@as_of_option
@click.option(
    "--basis",
    type=click.Choice(["entry", "exit"]),
    default=None,
    help="Select by entry date (cohorts) or exit date; default the programme's.",
)
@click.option("--from", "start", type=ISO_DATE, default=None, help="First day of the period.")
@click.option("--to", "end", type=ISO_DATE, default=None, help="Last day of the period.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NAME",
    help="Indicator set (repeat or comma-separate); default the programme's.",
)
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar="DIMENSION",
    help="Breakdown: gender, age_band, education, qpv, cohort (repeatable).",
)
@click.option(
    "--min-cell",
    type=click.IntRange(min=0),
    default=None,
    help="Disclosure threshold; 0 turns suppression off (internal use).",
)
@click.option(
    "--format",
    "format_name",
    default="text",
    show_default=True,
    help="Report format: text, markdown, csv, json, or a plugin's.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE instead of standard output.",
)
@pass_state
def report_command(
    state: CliState,
    programme_id: str,
    as_of: dt.date | None,
    basis: Literal["entry", "exit"] | None,
    start: dt.date | None,
    end: dt.date | None,
    sets: tuple[str, ...],
    by: tuple[str, ...],
    min_cell: int | None,
    format_name: str,
    output: Path | None,
) -> None:
    """Compute the outcome report of a programme (definitions in docs/indicators.md)."""
    workspace = state.workspace()
    formats = workspace.hooks.report_formats()
    if format_name not in formats:
        raise click.BadParameter(
            f"unknown format {format_name!r}; available: {', '.join(sorted(formats))}",
            param_hint="--format",
        )
    report = workspace.report(
        programme_id,
        as_of=as_of,
        basis=basis,
        start=start,
        end=end,
        sets=split_names(sets) or None,
        by=split_names(by),
        min_cell=min_cell,
    )
    write_output(formats[format_name].render(report), output)
