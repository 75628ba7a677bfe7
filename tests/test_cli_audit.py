"""``insertion audit`` and ``--actor`` on the command line: output, exit codes, bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from insertion_core import Workspace
from insertion_core.audit import ACTOR_ENV, forget_subject
from insertion_core.cli import make_cli
from insertion_core.plugins import PluginManager

from .audit_support import PROGRAMME, import_folder, write_everything
from .conftest import PROGRAMME_TOML

IMPORT_COUNTS = (
    "exits.added=1, followups.added=1, participants.added=2"  # zeros are left out of text
)


def run(pm: PluginManager, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(make_cli(pm), list(args), env=env, prog_name="insertion")


@pytest.fixture
def db(tmp_path: Path, pm: PluginManager) -> str:
    """A SQLite database with the programme loaded by ``alice`` and files imported by ``bob``."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    programme = tmp_path / "gonesse.toml"
    programme.write_text(PROGRAMME_TOML, encoding="utf-8")
    assert run(pm, "--db", url, "init").exit_code == 0
    loaded = run(pm, "--db", url, "--actor", "alice", "programme", "load", str(programme))
    assert loaded.exit_code == 0, loaded.output
    folder = import_folder(tmp_path)
    imported = run(
        pm, "--db", url, "--actor", "alice", "import", "--actor", "bob", "--programme",
        PROGRAMME, str(folder),
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    return url


def test_audit_shows_who_did_what_oldest_first(pm: PluginManager, db: str) -> None:
    result = run(pm, "--db", db, "audit", "--programme", PROGRAMME)
    assert result.exit_code == 0, result.output
    header, loaded, imported, total = result.stdout.splitlines()
    assert header.split() == [
        "seq", "recorded", "at", "(UTC)", "actor", "operation", "participant", "counts",
    ]  # fmt: skip
    assert loaded.split()[3:] == ["alice", "programme.save", "-"]
    assert imported.split()[3:6] == ["bob", "import", "-"]
    assert imported.endswith(IMPORT_COUNTS)
    day = loaded.split()[1]
    assert dt.date.fromisoformat(day) == dt.datetime.now(dt.UTC).date()
    assert total == "2 change(s)"


def test_audit_as_json(pm: PluginManager, db: str) -> None:
    result = run(pm, "--db", db, "audit", "--programme", PROGRAMME, "--format", "json")
    assert result.exit_code == 0, result.output
    loaded, imported = json.loads(result.stdout)
    assert loaded["actor"] == "alice" and loaded["operation"] == "programme.save"
    assert imported["counts"]["participants.added"] == 2
    assert imported["counts"]["participants.updated"] == 0
    assert imported["participant_id"] is None and imported["participant_forgotten"] is False
    assert set(imported) == {
        "seq", "recorded_at", "actor", "operation", "programme_id", "participant_id",
        "participant_forgotten", "counts",
    }  # fmt: skip
    assert dt.datetime.fromisoformat(imported["recorded_at"]).utcoffset() == dt.timedelta(0)


def test_the_actor_comes_from_insertion_actor_without_actor(
    pm: PluginManager, db: str, tmp_path: Path
) -> None:
    programme = tmp_path / "gonesse.toml"
    result = run(pm, "--db", db, "programme", "load", str(programme), env={ACTOR_ENV: "carol"})
    assert result.exit_code == 0
    shown = run(pm, "--db", db, "audit", "--programme", PROGRAMME, "--format", "json")
    assert json.loads(shown.stdout)[-1]["actor"] == "carol"


def test_a_dry_run_import_records_nothing(pm: PluginManager, db: str, tmp_path: Path) -> None:
    again = tmp_path / "again"
    again.mkdir()
    (again / "participants.csv").write_text(
        "participant_id,cohort_id,entry_date,birth_date\nC001,2025-09,2025-09-01,2006-01-02\n",
        encoding="utf-8",
    )
    dry = run(pm, "--db", db, "import", "--programme", PROGRAMME, "--dry-run", str(again))
    assert dry.exit_code == 0, dry.output
    shown = run(pm, "--db", db, "audit", "--programme", PROGRAMME)
    assert shown.stdout.splitlines()[-1] == "2 change(s)"


def test_participant_and_erased_participants(pm: PluginManager, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'people.db'}"
    with Workspace.open(url, initialise=True, actor="alice") as workspace:
        write_everything(workspace)
    mine = run(pm, "--db", url, "audit", "--programme", PROGRAMME, "--participant", "A001")
    assert mine.exit_code == 0
    lines = mine.stdout.splitlines()
    assert [line.split()[4] for line in lines[1:-1]] == [
        "participant.enrol", "participant.phase", "participant.attendance",
        "participant.exit", "participant.followup",
    ]  # fmt: skip
    assert {line.split()[5] for line in lines[1:-1]} == {"A001"}
    with Workspace.open(url) as workspace, workspace.storage.unit_of_work() as uow:
        forget_subject(uow, PROGRAMME, "A001")
        uow.commit()
    gone = run(pm, "--db", url, "audit", "--programme", PROGRAMME, "--participant", "A001")
    assert (gone.exit_code, gone.stdout) == (0, "No change recorded about participant A001.\n")
    everyone = run(pm, "--db", url, "audit", "--programme", PROGRAMME)
    assert [line.split()[5] for line in everyone.stdout.splitlines()[2:-1]] == ["(erased)"] * 5
    assert "A001" not in everyone.stdout


def test_since_keeps_the_changes_from_that_day(pm: PluginManager, db: str) -> None:
    today = dt.datetime.now(dt.UTC).date()
    kept = run(pm, "--db", db, "audit", "--programme", PROGRAMME, "--since", today.isoformat())
    assert kept.stdout.splitlines()[-1] == "2 change(s)"
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    none = run(pm, "--db", db, "audit", "--programme", PROGRAMME, "--since", tomorrow)
    assert (none.exit_code, none.stdout) == (0, "No change recorded.\n")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["audit", "--programme", "nope"], 1, "Error: no programme 'nope' (known programmes: "),
        (["audit"], 2, "Missing option '--programme'"),
        (
            ["audit", "--programme", PROGRAMME, "--since", "31/02/2026"],
            2,
            "Invalid value for '--since'",
        ),
        (["audit", "--programme", PROGRAMME, "--format", "csv"], 2, "Invalid value for '--format'"),
        (["--actor", "", "audit", "--programme", PROGRAMME], 2, "Invalid value for '--actor'"),
        (
            ["import", "--actor", "bob\tby", "--programme", PROGRAMME, "."],
            2,
            "invisible or control character",
        ),
    ],
)
def test_bad_input(pm: PluginManager, db: str, args: list[str], code: int, message: str) -> None:
    result = run(pm, "--db", db, *args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_unusable_insertion_actor_stops_a_change(
    pm: PluginManager, db: str, tmp_path: Path
) -> None:
    programme = tmp_path / "gonesse.toml"
    result = run(pm, "--db", db, "programme", "load", str(programme), env={ACTOR_ENV: ""})
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {ACTOR_ENV}: the actor is not usable: an identifier cannot be empty\n"
    )
    shown = run(pm, "--db", db, "audit", "--programme", PROGRAMME)
    assert shown.stdout.splitlines()[-1] == "2 change(s)"  # nothing written
