"""``insertion retention``, ``participants personal-data`` and ``participants erase`` on the
command line: output, exit codes, and the messages of bad input (docs/cli.md)."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from insertion_core import Workspace
from insertion_core.cli import make_cli
from insertion_core.plugins import get_plugin_manager

from .conftest import EMAIL, FIRST, LAST, NOTE, PHONE, PROGRAMME, REASON, D, journey, store

PERSONAL = (FIRST, LAST, EMAIL, PHONE, NOTE, REASON)
RULE = (
    "Programme site on 2026-12-30: personal data is kept 24 months after the end of follow-up "
    "or the last contact, whichever is later.\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    """A SQLite site: ZQX-4711 past their erasure day on 2026-12-30, KEEP-1 not yet."""
    url = f"sqlite:///{tmp_path / 'site.db'}"
    with Workspace.open(
        url, plugin_manager=get_plugin_manager(load_entry_points=False), initialise=True
    ) as workspace:
        workspace.save_programme(PROGRAMME)
        store(
            workspace,
            journey(),
            journey("KEEP-1", last_contact=D(2025, 6, 28)),
        )
    yield url


def run(db: str, *args: str, input: str | None = None) -> Result:
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    return CliRunner().invoke(cli, ["--db", db, *args], input=input)


def no_personal_value(text: str) -> bool:
    return not any(value in text for value in PERSONAL)


# insertion retention


@pytest.mark.parametrize("flags", [(), ("--dry-run", "--apply")])
def test_retention_wants_exactly_one_of_dry_run_and_apply(db: str, flags: tuple[str, ...]) -> None:
    result = run(db, "retention", "--programme", "site", *flags)
    assert result.exit_code == 2
    assert (
        "Error: give exactly one of --dry-run (say what would be erased) and --apply (erase it)"
        in result.stderr
    )


def test_a_dry_run_says_what_it_would_erase_without_a_name(db: str) -> None:
    result = run(db, "retention", "--programme", "site", "--as-of", "2026-12-30", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        RULE
        + "Would erase the personal data of 1 participant(s): 1 with names or contact details, "
        "1 contact note(s), 1 absence reason(s).\n"
        "Dry run: nothing was changed. Run with --apply to erase.\n"
    )
    assert run(db, "participants", "show", "ZQX-4711", "--programme", "site").stdout.count(FIRST)


def test_apply_erases_and_says_how_much_then_finds_nothing(db: str) -> None:
    args = ("retention", "--programme", "site", "--as-of", "2026-12-30", "--apply")
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        RULE + "Erased the personal data of 1 participant(s): 1 with names or contact details, "
        "1 contact note(s), 1 absence reason(s).\n"
    )
    assert result.stderr == ""
    shown = run(db, "participants", "show", "ZQX-4711", "--programme", "site").stdout
    assert no_personal_value(shown)
    assert run(db, *args).stdout == RULE + "Nothing to erase.\n"


def test_retention_in_json_gives_the_counts(db: str) -> None:
    result = run(
        db,
        "retention",
        "--programme",
        "site",
        "--as-of",
        "2026-12-30",
        "--dry-run",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "programme": "site",
        "as_of": "2026-12-30",
        "retention_months": 24,
        "applied": False,
        "participants": 1,
        "personal_records": 1,
        "contact_notes": 1,
        "absence_reasons": 1,
        "awaiting_exit": 0,
    }


def test_retention_of_an_unknown_programme_fails_with_the_known_ones(db: str) -> None:
    result = run(db, "retention", "--programme", "nowhere", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no programme 'nowhere' (known programmes: site)")


def test_retention_refuses_a_bad_date(db: str) -> None:
    result = run(db, "retention", "--programme", "site", "--as-of", "2026-13-01", "--dry-run")
    assert result.exit_code == 2
    assert "Invalid value for '--as-of'" in result.stderr


# insertion participants personal-data


def test_personal_data_prints_everything_held_as_json(db: str) -> None:
    result = run(
        db,
        "participants",
        "personal-data",
        "ZQX-4711",
        "--programme",
        "site",
        "--as-of",
        "2025-01-15",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["personal_data"]["first_name"] == FIRST
    assert document["journey"]["contacts"][0]["note"] == NOTE
    assert document["journey"]["attendance"][0]["reason"] == REASON


def test_personal_data_to_a_file_readable_by_its_owner_only(db: str, tmp_path: Path) -> None:
    out = tmp_path / "answer.json"
    out.write_text("an older answer", encoding="utf-8")
    out.chmod(0o644)
    result = run(
        db, "participants", "personal-data", "ZQX-4711", "--programme", "site", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"Written to {out}\n"
    assert json.loads(out.read_text(encoding="utf-8"))["personal_data"]["email"] == EMAIL
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_personal_data_of_someone_not_held_fails(db: str) -> None:
    result = run(db, "participants", "personal-data", "NOBODY", "--programme", "site")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing is held about participant 'NOBODY' in programme 'site'\n"
    )


# insertion participants erase


def test_erase_asks_first_and_a_no_changes_nothing(db: str) -> None:
    result = run(db, "participants", "erase", "ZQX-4711", "--programme", "site", input="n\n")
    assert result.exit_code == 1
    assert result.stderr == (
        "Erase everything held about participant ZQX-4711 in programme site? Reports will no "
        "longer count them. This cannot be undone. [y/N]: n\nAborted!\n"
    )
    assert run(db, "participants", "show", "ZQX-4711", "--programme", "site").exit_code == 0


def test_erase_confirmed_removes_the_person(db: str) -> None:
    result = run(db, "participants", "erase", "ZQX-4711", "--programme", "site", input="y\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Erased participant ZQX-4711: journey, personal data.\n"
    shown = run(db, "participants", "show", "ZQX-4711", "--programme", "site")
    assert shown.exit_code == 1
    assert shown.stderr == "Error: no participant 'ZQX-4711' in programme 'site'\n"
    listed = run(db, "participants", "list", "--programme", "site", "--format", "json").stdout
    assert [p["participant_id"] for p in json.loads(listed)] == ["KEEP-1"]


def test_erase_with_yes_does_not_ask(db: str) -> None:
    result = run(db, "participants", "erase", "ZQX-4711", "--programme", "site", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == "Erased participant ZQX-4711: journey, personal data.\n"


def test_erasing_someone_not_held_fails_and_says_so(db: str) -> None:
    result = run(db, "participants", "erase", "NOBODY", "--programme", "site", "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing is held about participant 'NOBODY' in programme 'site'\n"
    )


def test_erase_needs_a_programme(db: str) -> None:
    result = run(db, "participants", "erase", "ZQX-4711", "--yes")
    assert result.exit_code == 2
    assert "Missing option '--programme'" in result.stderr


# the audit journal of erasures and retention runs


def test_an_erasure_is_journaled_under_a_forgotten_token(db: str) -> None:
    assert (
        run(
            db,
            "--actor",
            "dpo",
            "participants",
            "erase",
            "ZQX-4711",
            "--programme",
            "site",
            "--yes",
        ).exit_code
        == 0
    )
    result = run(db, "audit", "--programme", "site", "--format", "json")
    assert result.exit_code == 0, result.output
    erasures = [e for e in json.loads(result.stdout) if e["operation"] == "participant.erase"]
    assert len(erasures) == 1
    assert erasures[0]["actor"] == "dpo"
    assert erasures[0]["counts"]["journey"] == 1
    assert "ZQX-4711" not in result.stdout
    by_id = run(db, "audit", "--programme", "site", "--participant", "ZQX-4711", "--format", "json")
    assert json.loads(by_id.stdout) == []


def test_a_retention_run_is_journaled_with_counts_only(db: str) -> None:
    assert (
        run(
            db,
            "--actor",
            "dpo",
            "retention",
            "--programme",
            "site",
            "--as-of",
            "2026-12-30",
            "--apply",
        ).exit_code
        == 0
    )
    assert (
        run(db, "retention", "--programme", "site", "--as-of", "2026-12-30", "--dry-run").exit_code
        == 0
    )
    result = run(db, "audit", "--programme", "site", "--format", "json")
    runs = [e for e in json.loads(result.stdout) if e["operation"] == "retention.apply"]
    assert [(e["actor"], e["counts"]["participants"]) for e in runs] == [("dpo", 1)]
    assert no_personal_value(result.stdout)
