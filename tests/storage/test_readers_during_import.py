"""Reports run during a long import: read-only commands never wait for, nor fail on, a writer.

A real import of generated participants runs in a subprocess against a
SQLite file or a PostgreSQL schema; ``insertion report`` and ``insertion
followups due`` run in subprocesses meanwhile. Each must succeed, and those
started while the import held its write transaction open must finish before it
lets go: they did not wait.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, text

from insertion_core import Participant, Workspace, get_plugin_manager

from .conftest import programme_toml

#: A database's URL, how many participants to import, and a probe: does another process
#: hold a transaction open in it (the import's unit of work)?
Database = tuple[str, int, Callable[[], bool]]

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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        path = tmp_path / "site.db"
        yield f"sqlite:///{path}", PARTICIPANTS, lambda: write_lock_held(path)
        return
    url: URL = request.getfixturevalue("pg_url")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    # Between the probes only the import has a client connection to the test server.
    in_transaction = text(
        "SELECT count(*) FROM pg_stat_activity WHERE xact_start IS NOT NULL "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
        "AND datname = current_database()"
    )

    def transaction_open() -> bool:
        with engine.connect() as connection:
            return bool(connection.execute(in_transaction).scalar_one())

    # The import's transaction is shorter on PostgreSQL: more rows keep it open for seconds.
    yield url.render_as_string(hide_password=False), 2 * PARTICIPANTS, transaction_open
    engine.dispose()


def test_readers_are_never_locked_out_by_an_import(tmp_path: Path, database: Database) -> None:
    db, participants, writer_busy = database
    rows = (f"P{i:06d},2024-{i % 12 + 1:02d},2024-{i % 12 + 1:02d}-08" for i in range(participants))
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
    while not writer_busy() and importing.poll() is None:
        time.sleep(0.02)
    runs: list[tuple[tuple[str, ...], int, str, bool]] = []
    while importing.poll() is None:
        command = READERS[len(runs) % len(READERS)]
        locked_before = writer_busy()
        done = subprocess.run(insertion(db, *command), capture_output=True, text=True, timeout=60)
        within = locked_before and writer_busy()
        runs.append((command, done.returncode, done.stderr, within))
    out, err = importing.communicate(timeout=60)

    assert (importing.returncode, out, err) == (
        0,
        f"participants: {participants} added, 0 updated, 0 unchanged\n",
        "",
    )
    assert runs, "the import ended before any reader ran"
    assert [(command, code, stderr) for command, code, stderr, _ in runs] == [
        (command, 0, "") for command, _, _, _ in runs
    ]
    assert any(within for *_, within in runs), "no reader ran while the import held the lock"
