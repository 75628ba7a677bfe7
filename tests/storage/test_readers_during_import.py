"""Reports run during a long import: read-only commands never wait for, nor fail on, a writer.

A real import of generated participants runs in a subprocess against a
SQLite file; ``insertion report`` and ``insertion followups due`` run in
subprocesses meanwhile. Each must succeed, and those started while the
import held the write lock must finish before it lets go: they did not wait.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from insertion_core import Participant, Workspace, get_plugin_manager

from .conftest import programme_toml

PARTICIPANTS = 30_000
CLI = ("-c", "from insertion_core.cli import main; main()")
READERS = (
    ("report", "--programme", "p", "--as-of", "2025-01-01", "--format", "json"),
    ("followups", "due", "--programme", "p", "--as-of", "2024-03-01", "--format", "csv"),
)


def insertion(db: str, *args: str) -> list[str]:
    return [sys.executable, *CLI, "--db", db, *args]


def write_lock_held(path: Path) -> bool:
    """True while another connection holds the database's write lock."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        probe.close()


def test_readers_are_never_locked_out_by_an_import(tmp_path: Path) -> None:
    path = tmp_path / "site.db"
    db = f"sqlite:///{path}"
    rows = (f"P{i:06d},2024-{i % 12 + 1:02d},2024-{i % 12 + 1:02d}-08" for i in range(PARTICIPANTS))
    csv = tmp_path / "participants.csv"
    csv.write_text("participant_id,cohort_id,entry_date\n" + "\n".join(rows) + "\n")
    # The schema, the programme and a first participant, so that readers have data.
    with Workspace.open(db, plugin_manager=get_plugin_manager(), initialise=True) as workspace:
        workspace.save_programme(programme_toml("p"))
        workspace.enrol("p", Participant("A000001", "2024-01", dt.date(2024, 1, 8)))

    importing = subprocess.Popen(
        insertion(db, "import", "--programme", "p", "--kind", "participants", str(csv)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not write_lock_held(path) and importing.poll() is None:
        time.sleep(0.02)
    runs: list[tuple[tuple[str, ...], int, str, bool]] = []
    while importing.poll() is None:
        command = READERS[len(runs) % len(READERS)]
        locked_before = write_lock_held(path)
        done = subprocess.run(insertion(db, *command), capture_output=True, text=True, timeout=60)
        within = locked_before and write_lock_held(path)
        runs.append((command, done.returncode, done.stderr, within))
    out, err = importing.communicate(timeout=60)

    assert (importing.returncode, out, err) == (
        0,
        f"participants: {PARTICIPANTS} added, 0 updated, 0 unchanged\n",
        "",
    )
    assert runs, "the import ended before any reader ran"
    assert [(command, code, stderr) for command, code, stderr, _ in runs] == [
        (command, 0, "") for command, _, _, _ in runs
    ]
    assert any(within for *_, within in runs), "no reader ran while the import held the lock"
