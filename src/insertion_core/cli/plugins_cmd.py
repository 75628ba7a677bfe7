"""``insertion plugins``: what is loaded, from which distribution, and what failed."""

from __future__ import annotations

import json

import click

from ..plugins import PluginManager
from .app import CliState, pass_state


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_state
def plugins_command(state: CliState, as_json: bool) -> None:
    """List plugins, their distribution and version, their hooks, and load failures."""
    pm = state.pm
    infos = pm.plugin_infos() if isinstance(pm, PluginManager) else []
    failures = pm.failures if isinstance(pm, PluginManager) else []
    if as_json:
        document = {
            "plugins": [
                {
                    "name": i.name,
                    "distribution": i.distribution,
                    "version": i.version,
                    "builtin": i.builtin,
                    "hooks": list(i.hooks),
                }
                for i in infos
            ],
            "failures": [
                {"name": f.name, "distribution": f.distribution, "error": f.error} for f in failures
            ],
        }
        click.echo(json.dumps(document, indent=2))
        return
    for info in infos:
        origin = f"{info.distribution} {info.version}".strip() or "?"
        kind = " (built in)" if info.builtin else ""
        click.echo(f"{info.name}  [{origin}]{kind}")
        click.echo(f"    hooks: {', '.join(info.hooks) or 'none'}")
    if failures:
        click.echo("")
        click.echo("Failed to load:")
        for failure in failures:
            click.echo(f"  {failure.name} [{failure.distribution or '?'}]: {failure.error}")
