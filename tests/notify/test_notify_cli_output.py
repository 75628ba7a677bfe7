"""``insertion notify`` repeats what a channel answered: never a control character of it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from insertion_core import Workspace
from insertion_core.cli import make_cli
from insertion_core.importing import import_directory
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
