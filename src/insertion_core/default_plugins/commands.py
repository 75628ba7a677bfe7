"""Built-in plugin: the commands of the ``insertion`` command line."""

from __future__ import annotations

import click

from ..cli.init_cmd import init_command
from ..cli.plugins_cmd import plugins_command
from ..cli.programme_cmd import programme_group
from ..hookspecs import hookimpl


@hookimpl(trylast=True)
def register_commands(cli: click.Group) -> None:
    """init, programme, plugins."""
    for command in (init_command, programme_group, plugins_command):
        cli.add_command(command)
