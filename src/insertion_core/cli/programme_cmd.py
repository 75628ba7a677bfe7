"""``insertion programme``: add, update and show programmes."""

from __future__ import annotations

from pathlib import Path

import click

from ..safety import terminal_text
from .app import CliState, actor_option, pass_state


@click.group("programme")
def programme_group() -> None:
    """Programmes: their phases, follow-up and reporting rules."""


@programme_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@actor_option
@pass_state
def load_command(state: CliState, file: Path) -> None:
    """Add or update the programme described by FILE.toml."""
    programme = state.workspace().load_programme(file)
    click.echo(terminal_text(f"Programme {programme.id} loaded: {programme.name}"))


@programme_group.command("list")
@pass_state
def list_command(state: CliState) -> None:
    """List the programmes in the database."""
    workspace = state.workspace()
    for programme_id in workspace.programme_ids():
        click.echo(programme_id)
