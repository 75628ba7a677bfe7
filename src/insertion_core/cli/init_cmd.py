"""``insertion init``: create or upgrade the database schema."""

from __future__ import annotations

import click

from .app import CliState, pass_state


@click.command("init")
@pass_state
def init_command(state: CliState) -> None:
    """Create the database schema, or upgrade it to this version."""
    workspace = state.workspace(initialise=True)
    click.echo(f"Database ready: {workspace.storage.url}")
