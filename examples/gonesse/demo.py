"""``make demo``: the Gonesse reference deployment on SQLite, start to finish.

Generates the synthetic data, creates a SQLite database in ``work/``, loads
the programme, imports the data, prints the key figures, writes the reports,
and lists the check-ins due. Every step is an ``insertion`` command, printed
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

from generate import AS_OF, write  # noqa: E402

from insertion_core.cli import make_cli  # noqa: E402


def steps(work: Path) -> list[list[str]]:
    """The ``insertion`` command lines the demo runs, in order."""
    db = ["--db", f"sqlite:///{work / 'gonesse.db'}"]
    site = ["--programme", "gonesse", "--as-of", AS_OF.isoformat()]
    return [
        [*db, "init"],
        [*db, "programme", "load", str(HERE / "programme.toml")],
        [*db, "import", "--programme", "gonesse", str(work / "data")],
        [*db, "report", *site, "--set", "key_figures", "--format", "text"],
        [*db, "report", *site, "--format", "html", "-o", str(work / "report.html")],
        [*db, "report", *site, "--format", "json", "-o", str(work / "report.json")],
        [*db, "followups", "due", *site],
        [*db, "followups", "at-risk", *site],
    ]


def run(work: Path) -> int:
    """Run every step; returns the first non-zero exit code, else 0."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "gonesse.db").unlink(missing_ok=True)
    counts = write(work / "data")
    click.echo(
        f"Synthetic Gonesse data in {work / 'data'}: "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    )
    cli = make_cli()
    for args in steps(work):
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
