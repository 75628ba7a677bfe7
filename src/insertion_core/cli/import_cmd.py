"""``insertion import``: the canonical files of a directory, or one file of a given kind.

Standard output gets one summary line per kind of file; warnings and
progress bars go to standard error, a progress bar only when standard error
is a terminal. Bad input exits with code 1, every problem listed, nothing
written (the group maps :class:`~insertion_core.errors.DataError`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

import click

from ..importing import KINDS, Kind
from ..safety import terminal_text
from .app import CliState, actor_option, pass_state

if TYPE_CHECKING:
    from ..importing.records import Progress
    from ..importing.rows import RawRow

__all__ = ["PROGRESS_FROM", "import_command", "progress_bar"]

#: Files with at least this many rows get a progress bar (on a terminal).
PROGRESS_FROM = 2000


def progress_bar(stream: TextIO | None = None) -> Progress:
    """A progress wrapper that draws on ``stream`` (standard error) only when it is a terminal."""

    def wrap(label: str, total: int, rows: Iterable[RawRow]) -> Iterable[RawRow]:
        out = stream if stream is not None else sys.stderr
        if total < PROGRESS_FROM or not out.isatty():
            return rows
        return _drawn(label, total, rows, out)

    return wrap


def _drawn(label: str, total: int, rows: Iterable[RawRow], out: TextIO) -> Iterator[RawRow]:
    with click.progressbar(rows, length=total, label=label, file=out) as bar:
        yield from bar


#: Warnings printed before the rest are only counted.
WARNINGS_SHOWN = 10


@click.command("import")
@click.option("--programme", "programme_id", required=True, metavar="ID", help="Programme id.")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="What FILE holds; without it, PATH is a directory of canonical files.",
)
@click.option(
    "--sheet",
    metavar="NAME",
    default=None,
    help="With --kind and an .xlsx workbook: the sheet to read (needed when it has several).",
)
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option(
    "--replace",
    is_flag=True,
    help="A followups file is authoritative for the participants it names: "
    "their contacts not in it are removed.",
)
@click.option("--yes", is_flag=True, help="Confirm the removals --replace makes.")
@click.option(
    "--all-warnings", is_flag=True, help=f"Show every warning, not only the first {WARNINGS_SHOWN}."
)
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@actor_option
@pass_state
def import_command(
    state: CliState,
    programme_id: str,
    kind: str | None,
    sheet: str | None,
    dry_run: bool,
    replace: bool,
    yes: bool,
    all_warnings: bool,
    path: Path,
) -> None:
    """Import canonical files into a programme, all or nothing.

    PATH is a directory holding participants, cohorts, phases, exits, followups
    and attendance files (.csv or .xlsx, read in that order, in one transaction),
    or, with --kind, one file. In a directory, an .xlsx workbook of several
    sheets is read sheet by sheet, each sheet named after a kind (or in French:
    Participants, Sorties, Suivi, Phases, Présence, Promotions). Follow-up
    contacts are added and updated, never removed, unless --replace (removals
    then need --yes).
    """
    if kind is None and not path.is_dir():
        raise click.UsageError(
            f"{path} is a file: say what it holds with --kind ({'|'.join(KINDS)})"
        )
    if kind is not None and path.is_dir():
        raise click.UsageError(f"{path} is a directory: --kind goes with one file")
    if yes and not replace:
        raise click.UsageError("--yes confirms the removals of --replace; give both")
    if sheet is not None and kind is None:
        raise click.UsageError(
            "--sheet picks one sheet of a workbook: say what it holds with --kind"
        )
    if replace and kind not in (None, "followups"):
        raise click.UsageError(f"--replace applies to followups files only, not to --kind {kind}")
    from ..importing import RemovalNotConfirmedError, import_directory, import_file

    workspace = state.workspace()
    progress = progress_bar()
    try:
        if kind is None:
            summary = import_directory(
                workspace,
                programme_id,
                path,
                dry_run=dry_run,
                progress=progress,
                replace=replace,
                confirm_removal=yes,
            )
        else:
            summary = import_file(
                workspace,
                programme_id,
                cast(Kind, kind),
                path,
                dry_run=dry_run,
                progress=progress,
                replace=replace,
                confirm_removal=yes,
                sheet=sheet,
            )
    except RemovalNotConfirmedError as error:
        click.echo(
            f"Error: --replace would remove {error.removed} follow-up contact(s) not in the "
            "file; nothing was written. Add --yes to remove them, or --dry-run to see the counts.",
            err=True,
        )
        raise SystemExit(1) from None
    shown = summary.warnings if all_warnings else summary.warnings[:WARNINGS_SHOWN]
    for warning in shown:
        click.echo(terminal_text(warning), err=True)
    if len(shown) < len(summary.warnings):
        click.echo(
            f"... and {len(summary.warnings) - len(shown)} more warnings (--all-warnings shows them)",
            err=True,
        )
    for line in summary.lines():
        click.echo(terminal_text(line))
    if dry_run:
        click.echo("Dry run: nothing was written.", err=True)
        removed = sum(counts.removed for counts in summary.counts.values())
        if removed and not yes:
            click.echo(f"Removing the {removed} contact(s) will need --yes.", err=True)
