"""``followups due`` on the command line reads the stored check-ins, kept current by every write.

docs/architecture.md, Stored check-ins: loading a programme whose follow-up
rules changed re-derives its check-ins, so the list moves with the rules.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner, Result

from insertion_core import (
    Exit,
    FollowUpContact,
    Participant,
    Situation,
    Workspace,
    get_plugin_manager,
)
from insertion_core.cli import make_cli
from insertion_core.domain import ExitReason

from .conftest import PROGRAMME_TOML

DUE = ["followups", "due", "--programme", "gonesse", "--as-of", "2026-06-01"]


def run(db: str, *args: str) -> Result:
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def test_the_due_list_follows_a_change_of_the_followup_rules(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'site.db'}"
    d = dt.date
    with Workspace.open(db, initialise=True) as ws:
        ws.save_programme(PROGRAMME_TOML, "gonesse.toml")
        ws.enrol("gonesse", Participant("A1", "C1", d(2026, 1, 5), birth_date=d(2005, 1, 1)))
        ws.record_exit(
            "gonesse", "A1", Exit(d(2026, 5, 4), ExitReason.COMPLETED, Situation("job_search"))
        )
        ws.record_followup("gonesse", "A1", FollowUpContact(d(2026, 5, 10), Situation("training")))
    due = run(db, *DUE)
    assert due.exit_code == 0, due.stderr
    assert due.stdout.splitlines()[1].split() == ["2026-06-04", "due", "A1", "1", "month", "-"]
    wider = tmp_path / "gonesse.toml"  # the 10 May contact now falls in the 1-month window
    wider.write_text(
        PROGRAMME_TOML.replace(
            "checkpoints = [1, 3, 6]", "checkpoints = [1, 3, 6]\ngrace_days = 30"
        ),
        encoding="utf-8",
    )
    loaded = run(db, "programme", "load", str(wider))
    assert loaded.exit_code == 0, loaded.stderr
    after = run(db, *DUE)
    assert (after.exit_code, after.stdout) == (0, "No check-in due.\n")
    narrower = tmp_path / "again.toml"
    narrower.write_text(PROGRAMME_TOML, encoding="utf-8")
    assert run(db, "programme", "load", str(narrower)).exit_code == 0
    assert run(db, *DUE).stdout == due.stdout
