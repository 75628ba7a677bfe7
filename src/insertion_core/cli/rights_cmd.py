"""``insertion participants personal-data`` and ``erase``: the rights of access and to erasure."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from ..safety import json_document, terminal_text
from .app import CliState, pass_state
from .options import as_of_option, programme_option
from .retention_cmd import NOT_SHREDDED


@click.command("personal-data")
@programme_option
@as_of_option
@click.argument("participant_id")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the document to FILE, readable by its owner only, instead of standard output.",
)
@pass_state
def personal_data_command(
    state: CliState,
    programme_id: str,
    as_of: dt.date | None,
    participant_id: str,
    output: Path | None,
) -> None:
    """Everything held about one person, as JSON, to answer their request (right of access).

    The document holds their personal data: names, contact details, notes.
    """
    from ..privacy import personal_data_of

    document = personal_data_of(state.workspace(), programme_id, participant_id, as_of=as_of)
    text = json_document(document, indent=1) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(output, 0o600)  # a file that was there keeps its mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    click.echo(terminal_text(f"Written to {output}"), err=True)


@click.command("erase")
@programme_option
@click.argument("participant_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
@pass_state
def erase_command(state: CliState, programme_id: str, participant_id: str, yes: bool) -> None:
    """Erase everything held about one person (right to erasure). This cannot be undone.

    Their journey, personal data and notices go; reports run afterwards no longer count them.
    """
    shown = terminal_text(participant_id)
    if not yes:
        click.confirm(
            f"Erase everything held about participant {shown} in programme "
            f"{terminal_text(programme_id)}? Reports will no longer count them. "
            "This cannot be undone.",
            abort=True,
            err=True,
        )
    from ..privacy import erase_participant

    erasure = erase_participant(state.workspace(), programme_id, participant_id)
    removed = [
        "journey" if erasure.journey else "",
        "personal data" if erasure.personal_data else "",
        f"{erasure.notices} notice record(s)" if erasure.notices else "",
    ]
    click.echo(f"Erased participant {shown}: {', '.join(r for r in removed if r)}.")
    if not erasure.shredded:
        click.echo(NOT_SHREDDED, err=True)
