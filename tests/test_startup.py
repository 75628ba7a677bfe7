"""What ``insertion --help`` and ``--version`` load: the command line and the plugins, nothing more.

Every command loads the installed plugins and builds the command line first,
so these two are the floor of every command's start. How long they take is
measured by ``make bench`` (benchmarks/startup.py), not here: this checks what
they import, which does not depend on how busy the machine is.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

#: Loaded by the commands that need them, never to print help or the version.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "psycopg",
    "importlib.metadata",  # insertion_core.distributions reads the entry points
    "insertion_core.workspace",
    "insertion_core.domain",
    "insertion_core.outcomes",
    "insertion_core.reporting",
    # the notify package itself and its deadline are light: notifier plugins import them
    "insertion_core.notify.notice",
    "insertion_core.notify.ledger",
    "insertion_core.notify.service",
    "insertion_core.default_plugins.sql.storage",
    "insertion_core.default_plugins.memory.storage",
)

RUN = """
import sys
sys.argv = ["insertion", *sys.argv[1:]]
from insertion_core.cli import main
try:
    main()
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
print("MODULES", *sys.modules)
"""


def run_cli(*args: str) -> tuple[str, set[str]]:
    """The output of ``insertion ARGS`` run in a fresh interpreter, and the modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, check=True
    )
    output, _, modules = done.stdout.partition("MODULES ")
    return output, set(modules.split())


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules for h in HEAVY if m == h or m.startswith(h + "."))


@pytest.mark.parametrize(
    ("option", "shown"), [("--help", "Usage: insertion"), ("--version", "insertion, version")]
)
def test_help_and_version_load_no_storage_engine_and_no_domain(option: str, shown: str) -> None:
    output, modules = run_cli(option)
    assert shown in output
    assert "insertion_core.plugins" in modules  # the plugins were loaded
    assert heavy_in(modules) == []


def test_help_lists_the_commands_of_every_plugin() -> None:
    output, modules = run_cli("--help")
    for command in ("followups", "import", "init", "notify", "plugins", "programme", "report"):
        assert f"  {command} " in output
    assert "insertion_core_smtp" in modules  # the installed plugins were loaded too
    assert "insertion_core_webhook" in modules


def test_the_check_sees_a_heavy_module_when_a_command_loads_one() -> None:
    _, modules = run_cli("--db", "memory://", "programme", "list")
    assert "insertion_core.workspace" in heavy_in(modules)
