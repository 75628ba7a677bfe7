"""``insertion audit``: the audit journal of a programme, who changed what and when."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from ..safety import json_document, terminal_text
from .app import CliState, pass_state
from .options import DATE, programme_option, text_or_json_option

if TYPE_CHECKING:
    from ..audit import AuditLine

__all__ = ["audit_command"]


@click.command("audit")
@programme_option
@click.option(
    "--participant",
    "participant_id",
    default=None,
    metavar="ID",
    help="Only the changes to this participant (none once they were erased).",
)
@click.option(
    "--since",
    type=DATE,
    default=None,
    help="Only the changes recorded on or after this day, from 00:00 UTC.",
)
@text_or_json_option
@pass_state
def audit_command(
    state: CliState,
    programme_id: str,
    participant_id: str | None,
    since: dt.date | None,
    format_name: str,
) -> None:
    """Show who changed what in a programme, and when (times in UTC), oldest first.

    The journal keeps the actor, the operation and counts such as rows
    imported; never a name, phone, e-mail or note. A participant who was
    erased shows as "(erased)".
    """
    start = None if since is None else dt.datetime.combine(since, dt.time(), dt.UTC)
    lines = state.workspace().audit_trail(programme_id, participant_id=participant_id, since=start)
    if format_name == "json":
        click.echo(json_document([line.to_json_dict() for line in lines], indent=1))
        return
    if not lines:
        whose = "" if participant_id is None else f" about participant {participant_id}"
        click.echo(terminal_text(f"No change recorded{whose}."))
        return
    rows = [_cells(line) for line in lines]
    header = ("seq", "recorded at (UTC)", "actor", "operation", "participant", "counts")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo(terminal_text("  ".join([*padded, row[-1]]).rstrip()))
    click.echo(f"{len(lines)} change(s)")


def _cells(line: AuditLine) -> tuple[str, ...]:
    entry = line.entry
    participant = "(erased)" if line.forgotten else line.participant_id or "-"
    counts = ", ".join(f"{key}={number}" for key, number in entry.counts.items() if number)
    return (
        str(entry.seq),
        entry.recorded_at.strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor,
        entry.operation,
        participant,
        counts,
    )
