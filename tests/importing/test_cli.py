"""``insertion import`` through click's CliRunner: output, warnings, exit codes 0, 1 and 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from insertion_core.cli.import_cmd import PROGRESS_FROM, WARNINGS_SHOWN, progress_bar
from insertion_core.importing.rows import RawRow

from ..fakes import SharedMemoryPlugin
from .conftest import Run, stored_ids, write

PARTICIPANTS = (
    "participant_id,cohort_id,entry_date,birth_date,education_level\n"
    "P1,C1,2024-09-09,2006-03-01,3\n"
    "P2,C1,2024-09-09,,3\n"
)
EXITS = "participant_id,exit_date,exit_reason,destination\nP1,2025-01-31,completed,training\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write(tmp_path / "site" / "participants.csv", PARTICIPANTS)
    write(tmp_path / "site" / "exits.csv", EXITS)
    return tmp_path / "site"


def test_import_directory(run: Run, site: Path, plugin: SharedMemoryPlugin) -> None:
    result = run("--programme", "demo", str(site))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "participants: 2 added, 0 updated, 0 unchanged\nexits: 1 added, 0 updated, 0 unchanged\n"
    )
    participants = site / "participants.csv"
    assert result.stderr == (
        f"{participants}:3: birth_date: warning: participant P2: min_age: no birth date, "
        "so the minimum age was not checked\n"
        f"{participants}:3: birth_date: warning: participant P2: max_age: no birth date, "
        "so the maximum age was not checked\n"
    )
    assert stored_ids(plugin) == ["P1", "P2"]
    again = run("--programme", "demo", str(site))
    assert again.stdout == (
        "participants: 0 added, 0 updated, 2 unchanged\nexits: 0 added, 0 updated, 1 unchanged\n"
    )


def test_import_one_file_with_kind(run: Run, site: Path, plugin: SharedMemoryPlugin) -> None:
    result = run("--programme", "demo", "--kind", "participants", str(site / "participants.csv"))
    assert (result.exit_code, result.stdout) == (
        0,
        "participants: 2 added, 0 updated, 0 unchanged\n",
    )
    assert stored_ids(plugin) == ["P1", "P2"]


def test_bad_input_exits_1_with_every_problem_and_writes_nothing(
    run: Run, site: Path, plugin: SharedMemoryPlugin
) -> None:
    write(
        site / "exits.csv",
        EXITS + "P2,2024-09-01,dropout,job_search\nP3,2025-01-31,gone,training\n",
    )
    result = run("--programme", "demo", str(site))
    exits = site / "exits.csv"
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{exits}:3: exit_date: participant P2 cannot leave on 2024-09-01, "
        "before entering the programme on 2024-09-09",
        f"{exits}:4: exit_reason: unknown value 'gone', expected one of: "
        "completed, early_positive, dropout, other, neutralised",
        "Error: 2 problem(s); nothing was written.",
    ]
    assert stored_ids(plugin) == []


def test_dry_run_writes_nothing(run: Run, site: Path, plugin: SharedMemoryPlugin) -> None:
    result = run("--programme", "demo", "--dry-run", str(site))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "participants: 2 added, 0 updated, 0 unchanged"
    assert result.stderr.splitlines()[-1] == "Dry run: nothing was written."
    assert stored_ids(plugin) == []


def test_unknown_programme_exits_1(run: Run, site: Path) -> None:
    result = run("--programme", "nope", str(site))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no programme 'nope' (known programmes: demo); "
        "load it with 'insertion programme load FILE.toml'\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SITE"], "Missing option '--programme'"),
        (
            ["--programme", "demo", "--kind", "participants", "SITE"],
            "is a directory: --kind goes with one file",
        ),
        (
            ["--programme", "demo", "SITE/participants.csv"],
            "is a file: say what it holds with --kind",
        ),
        (
            ["--programme", "demo", "--kind", "people", "SITE/participants.csv"],
            "Invalid value for '--kind'",
        ),
        (["--programme", "demo", "SITE/missing"], "does not exist"),
    ],
)
def test_usage_errors_exit_2(run: Run, site: Path, args: list[str], message: str) -> None:
    result = run(*[a.replace("SITE", str(site)) for a in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _rows(n: int) -> list[RawRow]:
    return [RawRow(line, ("x",)) for line in range(2, n + 2)]


def test_progress_bar_only_on_a_terminal_and_for_large_files() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    rows = _rows(PROGRESS_FROM)
    assert list(progress_bar(terminal)("participants", len(rows), rows)) == rows
    assert "participants" in terminal.getvalue() and "100%" in terminal.getvalue()
    assert list(progress_bar(pipe)("participants", len(rows), rows)) == rows
    assert pipe.getvalue() == ""
    small = _Terminal()
    assert list(progress_bar(small)("participants", 10, _rows(10))) == _rows(10)
    assert small.getvalue() == ""


def test_no_progress_bar_when_stderr_is_not_a_terminal(run: Run, tmp_path: Path) -> None:
    rows = "".join(f"P{n},C1,2024-09-09,2006-03-01,3\n" for n in range(PROGRESS_FROM + 10))
    path = write(tmp_path / "participants.csv", PARTICIPANTS.splitlines()[0] + "\n" + rows)
    result = run("--programme", "demo", "--kind", "participants", str(path))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == f"participants: {PROGRESS_FROM + 10} added, 0 updated, 0 unchanged\n"


def test_only_the_first_warnings_are_shown_unless_all_are_asked_for(
    run: Run, tmp_path: Path
) -> None:
    rows = "".join(f"P{i:02d},C1,2024-09-09,,3\n" for i in range(WARNINGS_SHOWN))
    participants = write(
        tmp_path / "many" / "participants.csv",
        "participant_id,cohort_id,entry_date,birth_date,education_level\n" + rows,
    )
    result = run("--programme", "demo", "--dry-run", "--kind", "participants", str(participants))
    lines = result.stderr.splitlines()
    assert result.exit_code == 0
    assert len(lines) == WARNINGS_SHOWN + 2  # the first ones, the count, the dry-run line
    assert lines[-2] == f"... and {WARNINGS_SHOWN} more warnings (--all-warnings shows them)"
    every = run(
        "--programme",
        "demo",
        "--dry-run",
        "--all-warnings",
        "--kind",
        "participants",
        str(participants),
    )
    assert len(every.stderr.splitlines()) == 2 * WARNINGS_SHOWN + 1
