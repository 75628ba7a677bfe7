"""``insertion export``: participant-level rows for analysts, pseudonymised with the site's key."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from .app import CliState, pass_state
from .options import programme_option


@click.command("export")
@programme_option
@click.option(
    "--pseudonymised",
    is_flag=True,
    help="Required: says that the rows carry keyed pseudonyms, not participant ids.",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File holding the secret key (at least 32 bytes, private to its owner); "
    "default the INSERTION_PSEUDONYM_KEY environment variable.",
)
@click.option(
    "--month-dates", is_flag=True, help="Dates as YYYY-MM instead of the day (YYYY-MM-DD)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write, readable by its owner only; default standard output.",
)
@pass_state
def export_command(
    state: CliState,
    programme_id: str,
    pseudonymised: bool,
    key_file: Path | None,
    month_dates: bool,
    output: Path | None,
) -> None:
    """Export one CSV row per participant: a keyed pseudonym, birth year, codes and dates,
    without names, contact details, participant ids or notes (docs/data-formats.md)."""
    if not pseudonymised:
        raise click.UsageError(
            "the only export is pseudonymised: add --pseudonymised "
            "(and give the key with INSERTION_PSEUDONYM_KEY or --key-file)"
        )
    from ..export import load_pseudonym_key, write_export

    key = load_pseudonym_key(key_file)  # refused before the database is opened
    workspace = state.workspace()
    if output is None:
        summary = write_export(workspace, programme_id, key, sys.stdout, month_dates=month_dates)
        where = "standard output"
    else:
        with _private_file(output) as out:
            summary = write_export(workspace, programme_id, key, out, month_dates=month_dates)
        where = str(output)
    dates = "months" if summary.month_dates else "days"
    click.echo(
        f"Exported {summary.participants} participant(s) of programme {summary.programme_id} "
        f"to {where}; pseudonyms under key id {summary.key_id}, dates in {dates}.",
        err=True,
    )


@contextlib.contextmanager
def _private_file(path: Path) -> Iterator[TextIO]:
    """A file only its owner may read, in place at ``path`` only once written whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:  # mkstemp's mode is 0600
            yield out
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
