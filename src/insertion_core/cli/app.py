"""The ``insertion`` group: global options, plugin commands, and errors turned into exit codes.

Exit codes (docs/cli.md, Exit codes): 0 success; 1 bad input, with a clear message
and nothing written; 2 usage. A library error never shows a traceback.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import attrs
import click
import pluggy

from .. import __version__
from ..errors import DataError, InsertionError, StorageError
from ..plugins import get_plugin_manager
from ..safety import terminal_text

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["CliState", "InsertionGroup", "actor_option", "main", "make_cli", "pass_state"]


@attrs.define
class CliState:
    """What every command gets through ``ctx.obj``: the database URL and a lazily opened workspace.

    ``actor`` is who the command's changes are recorded as (``--actor``); None
    leaves it to ``INSERTION_ACTOR``, else the operating system's user.
    """

    url: str
    pm: pluggy.PluginManager
    actor: str | None = None
    _workspace: Workspace | None = None

    def workspace(self, *, initialise: bool = False) -> Workspace:
        """The workspace on ``--db``, opened on first use and closed when the command ends."""
        if self._workspace is None:
            from ..importing.gc_pause import rare_collections

            with rare_collections():  # loading the storage's modules frees nothing
                from ..workspace import Workspace

                self._workspace = Workspace.open(
                    self.url, plugin_manager=self.pm, initialise=initialise, actor=self.actor
                )
            click.get_current_context().call_on_close(self._workspace.close)
        elif initialise:
            self._workspace.initialise()
        return self._workspace


pass_state = click.make_pass_decorator(CliState)


def _actor(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check ``--actor`` and, given on a command, keep it for the command's workspace."""
    if value is None:
        return None
    from ..audit import check_actor
    from ..errors import IdentifierError

    try:
        checked = check_actor(value)
    except IdentifierError as error:
        raise click.BadParameter(str(error), ctx, param) from None
    state = ctx.find_object(CliState)
    if state is not None:
        state.actor = checked
    return checked


_ACTOR_HELP = (
    "Who makes the change, as the audit journal records it (also INSERTION_ACTOR); "
    "default the operating system's user."
)

#: ``--actor NAME`` on a command that writes: overrides the group's ``--actor``.
actor_option = click.option(
    "--actor",
    metavar="NAME",
    default=None,
    expose_value=False,
    callback=_actor,
    help=_ACTOR_HELP,
)


class InsertionGroup(click.Group):
    """A group that turns library errors into a message on standard error and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as error:
            for line in str(error).splitlines():
                click.echo(terminal_text(line), err=True)
            click.echo(
                f"Error: {len(error.problems) + error.truncated} problem(s); nothing was written.",
                err=True,
            )
            ctx.exit(1)
        except InsertionError as error:
            click.echo(terminal_text(f"Error: {error}", lines=True), err=True)
            ctx.exit(1)


def make_cli(pm: pluggy.PluginManager | None = None) -> click.Group:
    """Build the ``insertion`` group with the commands of every plugin (built-ins included)."""
    manager = pm if pm is not None else get_plugin_manager()

    @click.group(cls=InsertionGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option(
        "--db",
        "url",
        metavar="URL",
        default=None,
        help="Database URL (also INSERTION_DB); default sqlite:///insertion.db.",
    )
    @click.option("--actor", metavar="NAME", default=None, callback=_actor, help=_ACTOR_HELP)
    @click.version_option(__version__, "--version", prog_name="insertion")
    @click.pass_context
    def cli(ctx: click.Context, url: str | None, actor: str | None) -> None:
        """Participants, phases, exits, follow-up and outcome figures of insertion programmes."""
        ctx.obj = CliState(_database_url(url), manager, actor)

    from ..hooks import Hooks

    Hooks(manager).add_commands(cli)
    return cli


def _database_url(given: str | None) -> str:
    """``--db``, else ``INSERTION_DB``, else the default; empty is a usage error, not the default."""
    if given is not None:
        if not given.strip():
            raise click.BadParameter(
                "the database URL is empty; give one, such as sqlite:///insertion.db",
                param_hint="'--db'",
            )
        return given
    from ..workspace import default_url

    try:
        return default_url()
    except StorageError as error:
        raise click.UsageError(str(error)) from None


def main() -> None:
    """Entry point of the ``insertion`` script."""
    try:
        cli = make_cli()
    except InsertionError as error:
        click.echo(terminal_text(f"Error: {error}", lines=True), err=True)
        sys.exit(1)
    cli(prog_name="insertion")
