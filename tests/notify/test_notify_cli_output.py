"""``insertion notify`` shows what a channel answered and what the console prints: never a
control character of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from insertion_core import Exit, Participant, Situation, Workspace
from insertion_core.cli import make_cli
from insertion_core.domain import ExitReason
from insertion_core.domain.model import PersonalData
from insertion_core.importing import import_directory
from insertion_core.notify import service
from insertion_core.plugins import PluginManager, get_plugin_manager

from .conftest import AS_OF_DAY, SITE_AS_OF, Channels, programme_with, small_site


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


def test_a_hostile_name_printed_by_the_console_channel_has_no_control_character(
    tmp_path: Path,
) -> None:
    """Names are typed by people; the console channel shows them only once made inert."""
    manager = get_plugin_manager(load_entry_points=False)
    db = f"sqlite:///{tmp_path / 'site.db'}"
    with Workspace.open(db, plugin_manager=manager, initialise=True) as workspace:
        small_site(workspace, 0, "[notify.console]\ninclude_names = true\nverbose = true\n")
        workspace.enrol(
            "site",
            Participant("S-01", "C1", dt.date(2026, 1, 12), counsellor="cip-1"),
            PersonalData("S-01", first_name="Zo\u00e9\x1b]0;PWNED\x07", last_name="A\x1b[2J\rB\nC"),
        )
        workspace.record_exit(
            "site", "S-01", Exit(dt.date(2026, 6, 5), ExitReason.COMPLETED, Situation("job_search"))
        )
    result = CliRunner().invoke(
        make_cli(manager),
        ["--db", db, "notify", "--programme", "site", "--as-of", SITE_AS_OF.isoformat()],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "[cip-1] Check-in due: S-01 (1-month check-in, due 2026-07-05)",
        "    The 1-month follow-up check-in of participant S-01 is due on 2026-07-05.",
        "    Name: Zo\u00e9\ufffd A\ufffd\ufffdB",
        "    C",
        "Notices: 1 sent, 0 failed, 0 already sent",
    ]


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
