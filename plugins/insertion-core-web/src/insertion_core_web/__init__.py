"""Web pages for insertion-core: the calls to make, journeys and follow-up contacts in a browser.

Installed, this plugin adds ``insertion serve`` and ``insertion users`` to the
command line (the ``register_commands`` hook).
"""

from __future__ import annotations

import click

from insertion_core import hookimpl

__all__ = ["register_commands"]


@hookimpl
def register_commands(cli: click.Group) -> None:
    """Add ``serve`` and ``users``."""
    from .commands import serve_command, users_group

    cli.add_command(serve_command)
    cli.add_command(users_group)
