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


def steps(work: Path, url: str | None = None) -> list[list[str]]:
    """The ``insertion`` command lines the demo runs, in order (on ``url``, default SQLite)."""
    db = ["--db", url or f"sqlite:///{work / 'gonesse.db'}"]
    site = ["--programme", "gonesse", "--as-of", AS_OF.isoformat()]
    return [
        [*db, "init"],
        [*db, "programme", "load", str(HERE / "programme.toml")],
        [*db, "import", "--programme", "gonesse", str(work / "data")],
        [*db, "report", *site, "--set", "key_figures", "--format", "text"],
        [*db, "report", *site, "--set", "gonesse", "--format", "text"],
        [*db, "report", *site, "--format", "html", "-o", str(work / "report.html")],
        [*db, "report", *site, "--format", "json", "-o", str(work / "report.json")],
        [*db, "followups", "due", *site],
        [*db, "followups", "at-risk", *site],
    ]


def run(work: Path, *, db: str | None = None, pm: PluginManager | None = None) -> int:
    """Run every step; returns the first non-zero exit code, else 0.

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
    for args in steps(work, db):
        click.echo(f"\n$ insertion {shlex.join(args)}")
        try:
            code = cli.main(args, prog_name="insertion", standalone_mode=False)
        except click.ClickException as error:
            error.show()
            return error.exit_code
        if isinstance(code, int) and code:
            return code
    click.echo(f"\nThe HTML report is in {(work / 'report.html').resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("work")))
