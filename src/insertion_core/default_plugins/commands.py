"""Built-in plugin: the commands of the ``insertion`` command line."""

from __future__ import annotations

import click

from ..cli.audit_cmd import audit_command
from ..cli.export_cmd import export_command
from ..cli.followups_cmd import followups_group
from ..cli.import_cmd import import_command
from ..cli.init_cmd import init_command
from ..cli.notify_cmd import notify_command
from ..cli.participants_cmd import participants_group
from ..cli.plugins_cmd import plugins_command
from ..cli.programme_cmd import programme_group
from ..cli.report_cmd import report_command
from ..cli.retention_cmd import retention_command
from ..hookspecs import hookimpl


@hookimpl(trylast=True)
def register_commands(cli: click.Group) -> None:
    """init, programme, import, report, export, followups, participants, retention, notify, audit,
    plugins."""
    commands = (
        init_command,
        programme_group,
        import_command,
        report_command,
        export_command,
        followups_group,
        participants_group,
        retention_command,
        notify_command,
        audit_command,
        plugins_command,
    )
    for command in commands:
        cli.add_command(command)
