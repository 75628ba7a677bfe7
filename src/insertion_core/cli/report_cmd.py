"""``insertion report``: the outcome figures of a programme, in a format plugin's rendering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import attrs
import click

from .app import CliState, pass_state
from .options import (
    ISO_DATE,
    MIN_CELL_MAX,
    as_of_option,
    csv_dialect_option,
    programme_option,
    split_names,
    write_output,
)


class FormatOption(click.Option):
    """``--format``, whose help names every format the registered plugins offer (html included).

    The text is computed when read, from the plugin manager of the command line
    being run, so ``report --help`` and the generated reference stay complete.
    """

    @property
    def help(self) -> str | None:
        """``Report format: csv, html, ...`` for the current command line."""
        return f"Report format: {', '.join(format_names(click.get_current_context(silent=True)))}."

    @help.setter
    def help(self, text: str | None) -> None:
        """Ignore the fixed text click passes on: the formats are known only at run time."""


def format_names(ctx: click.Context | None) -> list[str]:
    """The formats of this command line's plugins; the built-ins' outside one (docs)."""
    from ..hooks import Hooks
    from ..plugins import get_plugin_manager

    state = ctx.find_object(CliState) if ctx is not None else None
    pm = state.pm if state is not None else get_plugin_manager(load_entry_points=False)
    return sorted(Hooks(pm).report_formats())


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
    help="Breakdown: gender, age_band, education, qpv, cohort, year (repeatable).",
)
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default=None,
    help="internal: exact figures, not for publication; public: disclosure control. "
    "Default the programme's reporting.audience (internal).",
)
@click.option(
    "--min-cell",
    type=click.IntRange(0, MIN_CELL_MAX),
    default=None,
    help="k of a public report (counts 1 to k-1 are protected); 0 gives the exact, "
    "internal figures.",
)
@click.option(
    "--format",
    "format_name",
    cls=FormatOption,
    default="text",
    show_default=True,
    metavar="NAME",
)
@csv_dialect_option
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
    audience: Literal["internal", "public"] | None,
    min_cell: int | None,
    format_name: str,
    csv_dialect: Literal["locale", "plain"] | None,
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
        audience=audience,
    )
    from ..reporting.csv_format import CsvFormat

    chosen = formats[format_name]
    if isinstance(chosen, CsvFormat):
        dialect = csv_dialect or workspace.programme(programme_id).reporting.csv_dialect
        chosen = attrs.evolve(chosen, dialect=dialect)
    write_output(chosen.render(report), output)
