"""``make demo``: the Gonesse reference deployment on SQLite, start to finish.

Generates the synthetic data, creates a SQLite database in ``work/``, loads
the programme, imports the data, prints the key figures and the site's own
``gonesse`` set (from the site plugin ``gonesse_site.py``), writes the
reports, and lists the check-ins due. Every step is an ``insertion`` command, printed
before it runs, so staff can run the same by hand. The reference day is
pinned (``--as-of``), so the figures never drift.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

import click

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gonesse_site  # noqa: E402
from generate import AS_OF, write  # noqa: E402

from insertion_core import get_plugin_manager  # noqa: E402
from insertion_core.cli import make_cli  # noqa: E402
from insertion_core.plugins import PluginManager  # noqa: E402


def plugin_manager() -> PluginManager:
    """The installed plugins, plus the Gonesse site plugin unless it is installed already."""
    pm = get_plugin_manager()
    if not any(plugin is gonesse_site for plugin in pm.get_plugins()):
        pm.register(gonesse_site, name="gonesse")
    return pm


def steps(work: Path, db: str | None = None) -> list[list[str]]:
    """The ``insertion`` command lines the demo runs, in order (on ``db``, default SQLite)."""
    db = db or f"sqlite:///{work / 'gonesse.db'}"
    as_of = AS_OF.isoformat()
    data = str(work / "data")
    return [
        ["--db", db, "init"],
        ["--db", db, "programme", "load", str(HERE / "programme.toml")],
        ["--db", db, "import", "--programme", "gonesse", data],
        [
            "--db",
            db,
            "report",
            "--programme",
            "gonesse",
            "--as-of",
            as_of,
            "--set",
            "key_figures",
            "--format",
            "text",
        ],
        [
            "--db",
            db,
            "report",
            "--programme",
            "gonesse",
            "--as-of",
            as_of,
            "--set",
            "gonesse",
            "--format",
            "text",
        ],
        [
            "--db",
            db,
            "report",
            "--programme",
            "gonesse",
            "--as-of",
            as_of,
            "--format",
            "json",
            "-o",
            str(work / "report.json"),
        ],
        ["--db", db, "followups", "due", "--programme", "gonesse", "--as-of", as_of],
    ]


def run(
    work: Path,
    available: Sequence[str] | None = None,
    *,
    db: str | None = None,
    pm: PluginManager | None = None,
) -> int:
    """Run every step whose command exists; returns the first non-zero exit code, else 0.

    ``db`` and ``pm`` default to SQLite in ``work`` and :func:`plugin_manager`.
    """
    work.mkdir(parents=True, exist_ok=True)
    (work / "gonesse.db").unlink(missing_ok=True)
    counts = write(work / "data")
    click.echo(
        f"Synthetic Gonesse data in {work / 'data'}: "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    )
    cli = make_cli(pm if pm is not None else plugin_manager())
    commands = set(cli.commands) if available is None else set(available)
    for args in steps(work, db):
        command = next(a for a in args[2:] if not a.startswith("-"))
        if command not in commands:
            click.echo(f"\n(skipped: this version has no 'insertion {command}' yet)")
            continue
        click.echo(f"\n$ insertion {shlex.join(args)}")
        try:
            code = cli.main(args, prog_name="insertion", standalone_mode=False)
        except click.ClickException as error:
            error.show()
            return error.exit_code
        if isinstance(code, int) and code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("work")))
