"""A busy database makes notify wait and try its short transaction again, not stop half-way."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from insertion_core import Workspace
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.errors import StorageBusyError, StorageError
from insertion_core.notify.busy import BusyRetry
from insertion_core.notify.service import send_due_notices
from insertion_core.plugins import PluginManager, get_plugin_manager

from ..storage.conftest import pg_admin, pg_url  # noqa: F401 (fixtures)
from ..storage.test_readers_during_import import Database, database  # noqa: F401 (fixture)
from .conftest import SITE_AS_OF, Channels, small_site


def flaky(failures: list[Exception]) -> Callable[[], str]:
    """A transaction that raises each of ``failures`` in turn, then returns "done"."""
    calls = iter(failures)

    def transaction() -> str:
        error = next(calls, None)
        if error is not None:
            raise error
        return "done"

    return transaction


def test_a_busy_transaction_is_run_again_after_growing_pauses() -> None:
    pauses: list[float] = []
    busy = BusyRetry(tries=3, first_pause=0.2, sleep=pauses.append)
    assert busy.run(flaky([StorageBusyError("locked"), StorageBusyError("locked")])) == "done"
    assert len(pauses) == 2
    assert 0.1 <= pauses[0] <= 0.3 and 0.2 <= pauses[1] <= 0.6


def test_a_database_busy_every_time_is_an_error_saying_so() -> None:
    pauses: list[float] = []
    busy = BusyRetry(tries=3, sleep=pauses.append)
    with pytest.raises(StorageBusyError) as caught:
        busy.run(flaky([StorageBusyError("db: database is locked")] * 3))
    assert str(caught.value) == (
        "db: database is locked (the database was still busy after 3 tries)"
    )
    assert len(pauses) == 2


def test_other_storage_errors_are_not_retried() -> None:
    pauses: list[float] = []
    with pytest.raises(StorageError, match=r"^disk full$"):
        BusyRetry(sleep=pauses.append).run(flaky([StorageError("disk full")]))
    assert pauses == []


def test_notify_waits_out_a_writer_holding_sqlite_then_sends_each_notice_once(
    tmp_path: Path, manager: PluginManager, channels: Channels
) -> None:
    path = tmp_path / "site.db"
    storage = SqlStorage.open(f"sqlite:///{path}", busy_timeout_ms=50)
    storage.initialise()
    with Workspace(storage, manager) as workspace:
        small_site(workspace, 3, "[notify.first]\n")
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another writer, e.g. an import, holds the database
        with (
            pytest.raises(StorageBusyError, match="database is locked"),
            storage.unit_of_work() as uow,
        ):
            uow.programmes.ids()
        release = threading.Timer(0.5, other.execute, args=("COMMIT",))
        release.start()
        pauses: list[float] = []

        def pause(seconds: float) -> None:
            pauses.append(seconds)
            time.sleep(seconds)

        result = send_due_notices(
            workspace,
            "site",
            as_of=SITE_AS_OF,
            busy=BusyRetry(tries=6, first_pause=0.05, sleep=pause),
        )
        release.join()
        other.close()
    assert pauses, "notify never found the database busy"
    ids = [i for i, _ in channels.by_name["first"].sent]
    assert len(result.sent) == len(ids) == len(set(ids)) == 3


def test_notify_overlapping_a_real_import_finishes_and_sends_each_notice_once(
    tmp_path: Path,
    database: Database,  # noqa: F811 (the fixture imported above)
) -> None:
    """Issue 14, attack 6: an import and ``insertion notify`` run at once, each its own process."""
    db, participants_count, import_busy = database
    with Workspace.open(db, plugin_manager=get_plugin_manager(), initialise=True) as workspace:
        small_site(workspace, 3, "[notify.console]\n")
    participants = tmp_path / "participants.csv"
    participants.write_text(
        "participant_id,cohort_id,entry_date\n"
        + "".join(f"N{i:06d},C2,2026-01-12\n" for i in range(participants_count)),
        encoding="utf-8",
    )
    cli = [sys.executable, "-c", "from insertion_core.cli import main; main()", "--db", db]
    importing = subprocess.Popen(
        [*cli, "import", "--programme", "site", "--kind", "participants", str(participants)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not import_busy() and importing.poll() is None:
        time.sleep(0.02)
    assert importing.poll() is None, "the import ended before notify could overlap it"
    notify = subprocess.run(
        [*cli, "notify", "--programme", "site", "--as-of", SITE_AS_OF.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    out, err = importing.communicate(timeout=120)
    assert (importing.returncode, out, err) == (
        0,
        f"participants: {participants_count} added, 0 updated, 0 unchanged\n",
        "",
    )
    assert (notify.returncode, notify.stderr) == (0, "")
    lines = notify.stdout.splitlines()
    assert sorted(lines[:-1]) == [
        f"[cip-1] Check-in due: S-0{n} (1-month check-in, due {SITE_AS_OF})" for n in (1, 2, 3)
    ]
    assert lines[-1] == "Notices: 3 sent, 0 failed, 0 already sent"
