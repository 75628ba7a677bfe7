"""What ``insertion --help`` and ``--version`` load: the command line and the plugins, nothing more.

Every command loads the installed plugins and builds the command line first,
so these two are the floor of every command's start. How long they take is
measured by ``make bench`` (benchmarks/startup.py), not here: this checks what
they import, which does not depend on how busy the machine is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .paths import SAMPLE_SITE

#: Loaded by the commands that need them, never to print help or the version.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "psycopg",
    "importlib.metadata",  # insertion_core.distributions reads the entry points
    "http.client",  # the webhook notifier connects only when it sends a notice
    "ssl",
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
from pathlib import Path
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


#: Loaded by the commands that change data, import files, check eligibility, run
#: migrations or write to PostgreSQL; never by a command that only lists or reports.
WRITERS_ONLY = (
    "alembic",
    "openpyxl",
    "psycopg",
    "sqlalchemy.dialects.postgresql",
    "insertion_core.domain.lifecycle",
    "insertion_core.domain.eligibility",
    "insertion_core.domain.events",
)

#: The outcome engine and the report formats: loaded by ``report``, not by the lists.
REPORTS_ONLY = (
    "insertion_core.outcome_report",
    "insertion_core.outcomes.engine",
    "insertion_core.reporting",
    "insertion_core.default_plugins.sql.stored_facts",
)


def loaded_from(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules for p in prefixes if m == p or m.startswith(p + "."))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding the sample site, initialised and imported by the command."""
    url = f"sqlite:///{tmp_path_factory.mktemp('startup') / 'sample.db'}"
    for args in (
        ["init"],
        ["programme", "load", str(SAMPLE_SITE / "programme.toml")],
        ["import", "--programme", "sample-site", str(SAMPLE_SITE)],
    ):
        run_cli("--db", url, *args)
    return url


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["followups", "due"], "overdue  HX00115"),
        (["followups", "at-risk"], "Nobody is at risk."),
        (["participants", "list"], "EDGE01"),
    ],
)
def test_a_list_loads_no_writer_and_no_outcome_engine(
    sample_db: str, command: list[str], shown: str
) -> None:
    args = ["--db", sample_db, *command, "--programme", "sample-site"]
    if command[0] == "followups":
        args += ["--as-of", "2026-09-15"]
    output, modules = run_cli(*args)
    assert shown in output
    assert "insertion_core.default_plugins.sql.storage" in modules  # the database was read
    assert loaded_from(modules, WRITERS_ONLY + REPORTS_ONLY) == []


def test_a_report_loads_the_outcome_engine_and_no_writer(sample_db: str) -> None:
    args = ["report", "--programme", "sample-site", "--as-of", "2026-09-15"]
    output, modules = run_cli("--db", sample_db, *args, "--set", "key_figures")
    assert "Sample site" in output
    assert "insertion_core.outcomes.engine" in modules
    assert loaded_from(modules, WRITERS_ONLY) == []


def test_the_check_sees_the_modules_an_import_loads(tmp_path: Path) -> None:
    """The checks above would see a module a list wrongly loaded: an import loads them."""
    url = f"sqlite:///{tmp_path / 'imported.db'}"
    run_cli("--db", url, "init")
    run_cli("--db", url, "programme", "load", str(SAMPLE_SITE / "programme.toml"))
    _, modules = run_cli("--db", url, "import", "--programme", "sample-site", str(SAMPLE_SITE))
    assert "insertion_core.domain.eligibility" in loaded_from(modules, WRITERS_ONLY)
    assert "insertion_core.default_plugins.sql.stored_facts" in loaded_from(modules, REPORTS_ONLY)
