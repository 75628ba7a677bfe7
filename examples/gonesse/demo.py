"""``make demo``: the Gonesse reference deployment on SQLite, start to finish.

Generates the synthetic data, creates a SQLite database in ``work/``, loads
the programme, imports the data, prints the key figures beside the site's own
``gonesse`` set, writes the reports (html, xlsx, csv, json), and lists the check-ins due. Every step is
printed as a shell command before it runs: the programs of this environment
(``.venv/bin/python``, ``.venv/bin/insertion`` after ``make demo``) and paths
relative to the current folder, so the same lines pasted into the same shell
do the same. The reference day is pinned (``--as-of``), so the figures never
drift.

The ``gonesse`` set comes from the site plugin ``gonesse_site.py``, installed
as a distribution (``pip install -e examples/gonesse``; ``make demo`` does it)
so that its entry point registers it in every ``insertion`` command, the
printed ones included. Without it the demo stops and says how to install it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import click

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import AS_OF, summary, write  # noqa: E402

from insertion_core import get_plugin_manager  # noqa: E402
from insertion_core.cli import make_cli  # noqa: E402
from insertion_core.hooks import Hooks  # noqa: E402
from insertion_core.plugins import PluginManager  # noqa: E402

SITE_SET = "gonesse"


def require_site_plugin(pm: PluginManager) -> PluginManager:
    """``pm`` if it offers the site's ``gonesse`` set; else a message that says how to install it."""
    if SITE_SET not in Hooks(pm).indicator_sets():
        raise click.ClickException(
            "the Gonesse site plugin is not installed, so `--set gonesse` would fail: "
            f"run `{shown(Path(sys.executable))} -m pip install -e {shown(HERE)}` "
            "(make demo does it)"
        )
    return pm


def plugin_manager() -> PluginManager:
    """The installed plugins, as every ``insertion`` command finds them; the site's included."""
    return require_site_plugin(get_plugin_manager())


def shown(path: Path) -> str:
    """``path`` as a command line shows it: relative to the current folder when inside it."""
    absolute = Path(os.path.abspath(path))  # symlinks kept: .venv/bin/python is one
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def insertion_program() -> str:
    """The ``insertion`` console script beside this Python, as typed; else the bare name."""
    found = shutil.which("insertion", path=str(Path(sys.executable).parent))
    return shown(Path(found)) if found else "insertion"


def steps(work: Path, url: str | None = None) -> list[list[str]]:
    """The ``insertion`` arguments the demo runs, in order (on ``url``, default SQLite)."""
    db = ["--db", url or f"sqlite:///{shown(work / 'gonesse.db')}"]
    site = ["--programme", "gonesse", "--as-of", AS_OF.isoformat()]
    return [
        [*db, "init"],
        [*db, "programme", "load", shown(HERE / "programme.toml")],
        [*db, "import", "--programme", "gonesse", shown(work / "data")],
        [*db, "report", *site, "--set", f"key_figures,{SITE_SET}", "--format", "text"],
        # what leaves the site: disclosure control, every set, checked by the attacker's audit
        [*db, "report", *site, "--audience", "public", "--format", "text"],
        [
            *db,
            "report",
            *site,
            "--by",
            "cohort",
            "--format",
            "html",
            "-o",
            shown(work / "report.html"),
        ],
        [
            *db,
            "report",
            *site,
            "--by",
            "gender",
            "--format",
            "xlsx",
            "-o",
            shown(work / "report.xlsx"),
        ],
        [*db, "report", *site, "--format", "csv", "-o", shown(work / "report.csv")],
        [*db, "report", *site, "--format", "json", "-o", shown(work / "report.json")],
        [*db, "followups", "due", *site],
        [*db, "followups", "at-risk", *site],
    ]


def run(work: Path, *, db: str | None = None, pm: PluginManager | None = None) -> int:
    """Run every step; returns the first non-zero exit code, else 0.

    ``db`` and ``pm`` default to SQLite in ``work`` and :func:`plugin_manager`.
    """
    try:
        cli = make_cli(require_site_plugin(pm) if pm is not None else plugin_manager())
    except click.ClickException as error:
        error.show()
        return error.exit_code
    work.mkdir(parents=True, exist_ok=True)
    (work / "gonesse.db").unlink(missing_ok=True)
    generator = [shown(Path(sys.executable)), shown(HERE / "generate.py"), shown(work / "data")]
    click.echo(f"$ {shlex.join(generator)}")
    click.echo(summary(write(work / "data")))
    program = insertion_program()
    for args in steps(work, db):
        click.echo(f"\n$ {shlex.join([program, *args])}")
        try:
            code = cli.main(args, prog_name="insertion", standalone_mode=False)
        except click.ClickException as error:
            error.show()
            return error.exit_code
        if isinstance(code, int) and code:
            return code
    click.echo(f"\nThe HTML report is in {(work / 'report.html').resolve()}")
    click.echo("The workbook and the CSV for spreadsheets are beside it: report.xlsx, report.csv")
    click.echo("Each $ line above runs as printed, in this shell and folder.")
    if "serve" in getattr(cli, "commands", {}):
        click.echo(web_hint(work, db))
    return 0


def web_hint(work: Path, db: str | None) -> str:
    """How to open the counsellors' web page (plugins/insertion-core-web) on the demo's data."""
    url = db or f"sqlite:///{shown(work / 'gonesse.db')}"
    program = insertion_program()
    return (
        "\nThe counsellors' web page, on this database (the server runs until Ctrl-C):\n"
        f"  {program} --db {url} users add cip-1 --role counsellor\n"
        f"  {program} --db {url} serve --programme gonesse --as-of {AS_OF.isoformat()}\n"
        "then open http://127.0.0.1:8000 and sign in as cip-1."
    )


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("work")))
