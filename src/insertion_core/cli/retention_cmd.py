"""``insertion retention``: erase the personal data kept past the programme's retention period."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from ..safety import json_document, terminal_text
from .app import CliState, pass_state
from .options import as_of_option, programme_option, text_or_json_option

if TYPE_CHECKING:
    from ..privacy import RetentionRun

#: What ``--dry-run`` and ``--apply`` are for; exactly one of them is given.
_EITHER = "give exactly one of --dry-run (say what would be erased) and --apply (erase it)"

NOT_SHREDDED = (
    "Warning: another connection was using the database: the values are erased, but their "
    "old copies leave the database file only when retention or an erasure runs again."
)


@click.command("retention")
@programme_option
@as_of_option
@click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
@click.option("--apply", "apply_", is_flag=True, help="Erase it.")
@text_or_json_option
@pass_state
def retention_command(
    state: CliState,
    programme_id: str,
    as_of: dt.date | None,
    dry_run: bool,
    apply_: bool,
    format_name: str,
) -> None:
    """Erase names, contact details, contact notes and absence reasons kept past the retention
    period: privacy.retention_months (default 24) after the end of follow-up or the last
    contact, whichever is later. Every report's figures stay the same."""
    if dry_run == apply_:
        raise click.UsageError(_EITHER)
    from ..privacy import run_retention

    run = run_retention(state.workspace(), programme_id, as_of=as_of, apply=apply_)
    if format_name == "json":
        click.echo(json_document(run.to_json_dict(), indent=1))
    else:
        for line in retention_lines(run):
            click.echo(terminal_text(line))
    if not run.shredded:
        click.echo(NOT_SHREDDED, err=True)


def retention_lines(run: RetentionRun) -> list[str]:
    """The run in a few sentences: the rule, what was (or would be) erased, what is kept."""
    counts = run.counts
    lines = [
        f"Programme {run.programme_id} on {run.as_of}: personal data is kept "
        f"{run.retention_months} months after the end of follow-up or the last contact, "
        "whichever is later."
    ]
    if counts.participants:
        verb = "Erased" if run.applied else "Would erase"
        lines.append(
            f"{verb} the personal data of {counts.participants} participant(s): "
            f"{counts.personal_records} with names or contact details, "
            f"{counts.contact_notes} contact note(s), {counts.absence_reasons} absence reason(s)."
        )
    else:
        lines.append("Nothing to erase.")
    if run.awaiting_exit:
        lines.append(
            f"{run.awaiting_exit} participant(s) with no exit recorded: their data is kept "
            "until their follow-up ends."
        )
    if not run.applied:
        lines.append("Dry run: nothing was changed. Run with --apply to erase.")
    return lines
