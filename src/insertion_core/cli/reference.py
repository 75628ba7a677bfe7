"""The ``insertion`` group with the built-in commands, for the generated CLI reference."""

from __future__ import annotations

from ..plugins import get_plugin_manager
from .app import make_cli

#: The command line as installed without third-party plugins.
cli = make_cli(get_plugin_manager(load_entry_points=False))
