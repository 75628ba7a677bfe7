"""``insertion notify`` repeats what a channel answered: never a control character of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from insertion_core import Workspace
from insertion_core.cli import make_cli
from insertion_core.importing import import_directory
from insertion_core.notify import service
from insertion_core.plugins import PluginManager

from .conftest import AS_OF_DAY, Channels, programme_with


def test_a_hostile_error_from_a_channel_is_shown_without_its_escape_sequences(
    tmp_path: Path, gonesse_data: Path, manager: PluginManager, channels: Channels
) -> None:
    db = f"sqlite:///{tmp_path / 'gonesse.db'}"
    with Workspace.open(db, plugin_manager=manager, initialise=True) as workspace:
        workspace.save_programme(programme_with("[notify.first]\n"))
        import_directory(workspace, "gonesse", gonesse_data, today=AS_OF_DAY)
    channels.by_name["first"].failing = RuntimeError("refused \x1b]0;PWNED\x07\x1b[2J\r\n")
    result = CliRunner().invoke(
        make_cli(manager),
        ["--db", db, "notify", "--programme", "gonesse", "--as-of", AS_OF_DAY.isoformat()],
    )
    assert result.exit_code == 1, result.output  # a failure this run is cron's to report
    assert "failed: first:" in result.stderr
    assert "RuntimeError: refused \ufffd" in result.stderr
    assert not any(c in result.output for c in ("\x1b", "\x07", "\r"))


def test_a_later_run_counts_the_waiting_notices_once_and_exits_0(
    tmp_path: Path,
    gonesse_data: Path,
    manager: PluginManager,
    channels: Channels,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = f"sqlite:///{tmp_path / 'gonesse.db'}"
    with Workspace.open(db, plugin_manager=manager, initialise=True) as workspace:
        workspace.save_programme(programme_with("[notify.first]\n"))
        import_directory(workspace, "gonesse", gonesse_data, today=AS_OF_DAY)
    channels.by_name["first"].failing = ConnectionRefusedError("refused")
    now = [dt.datetime(2026, 11, 25, 7, tzinfo=dt.UTC)]
    monkeypatch.setattr(service, "utcnow", lambda: now[0])
    args = ["--db", db, "notify", "--programme", "gonesse", "--as-of", "25/11/2026"]
    first = CliRunner().invoke(make_cli(manager), args)
    assert first.exit_code == 1
    failed = int(first.stdout.split(" sent, ")[1].split(" failed")[0])
    assert failed > 0 and first.stderr.count("failed: first:") == failed
    assert "waiting:" not in first.stderr  # this run's failures are not counted twice

    now[0] += dt.timedelta(minutes=1)  # before the retry is due: nothing attempted
    second = CliRunner().invoke(make_cli(manager), args)
    assert second.exit_code == 0  # nothing failed in this run
    assert second.stdout == (
        f"Notices: 0 sent, 0 failed, 0 already sent, {failed} waiting for a retry, "
        "0 given up earlier\n"
    )
    assert second.stderr.count("waiting: first:") == failed
