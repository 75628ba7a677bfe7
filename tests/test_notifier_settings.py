"""Channel tables are checked when the programme is loaded: by the host for what every channel
shares, by each notifier plugin (``validate_notifier_settings``) for its own keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from insertion_core import ConfigError, Workspace, get_plugin_manager, hookimpl
from insertion_core.cli import make_cli
from insertion_core.hooks import Hooks
from insertion_core.notify import Notice
from insertion_core.plugins import PluginManager

from .conftest import PROGRAMME_TOML


class ChatNotifier:
    name = "chat"

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        raise AssertionError("not sent while loading a programme")


class ChatPlugin:
    """A notifier plugin that knows one key of its table, ``room``."""

    @hookimpl
    def register_notifiers(self, register: Any) -> None:
        register(ChatNotifier())

    @hookimpl
    def validate_notifier_settings(
        self, channel: str, settings: Mapping[str, Any]
    ) -> list[str] | None:
        if channel != "chat":
            return None
        from insertion_core.notify import unknown_keys

        problems = unknown_keys(channel, settings, ("room",))
        if not isinstance(settings.get("room"), str):
            problems.append("[notify.chat]: room: required, the chat room's name")
        return problems


def manager() -> PluginManager:
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    pm.register(ChatPlugin(), name="chat")
    return pm


def workspace() -> Workspace:
    return Workspace.open("memory://", plugin_manager=manager(), initialise=True)


def test_hook_validate_notifier_settings_is_asked_about_each_channel() -> None:
    hooks = Hooks(manager())
    assert hooks.notifier_setting_problems("chat", {"room": "cip"}) == []
    assert hooks.notifier_setting_problems("chat", {"rooom": "cip"}) == [
        "[notify.chat]: rooom: unknown key (known keys: deadline, include_names, room)",
        "[notify.chat]: room: required, the chat room's name",
    ]
    assert hooks.notifier_setting_problems("console", {}) == []  # not the plugin's channel


def test_hook_validate_notifier_settings_refuses_the_programme_at_load() -> None:
    with workspace() as ws:
        text = PROGRAMME_TOML + '\n[notify.chat]\nrooom = "cip"\n'
        with pytest.raises(ConfigError) as caught:
            ws.save_programme(text, "gonesse.toml")
        assert str(caught.value).splitlines() == [
            "gonesse.toml: [notify.chat]: rooom: unknown key "
            "(known keys: deadline, include_names, room)",
            "gonesse.toml: [notify.chat]: room: required, the chat room's name",
        ]
        assert ws.programme_ids() == []  # nothing written
        ws.save_programme(PROGRAMME_TOML + '\n[notify.chat]\nroom = "cip"\n', "gonesse.toml")
        assert ws.programme_ids() == ["gonesse"]


def test_a_misspelt_channel_and_shared_keys_are_refused_at_load() -> None:
    text = (
        PROGRAMME_TOML
        + '\n[notify.fichierz]\npath = "x"\n'
        + '\n[notify.console]\ndeadline = 0\ninclude_names = "yes"\n'
    )
    with workspace() as ws, pytest.raises(ConfigError) as caught:
        ws.save_programme(text, "gonesse.toml")
    assert str(caught.value).splitlines() == [
        "gonesse.toml: [notify.fichierz]: no notifier plugin named 'fichierz' "
        "(installed: chat, console)",
        "gonesse.toml: [notify.console]: deadline: expected a number of seconds above 0 and "
        "at most 600, got 0",
        "gonesse.toml: [notify.console]: include_names: expected true or false, got 'yes'",
    ]


def load(tmp_path: Path, text: str) -> tuple[Path, Result, Result]:
    """``programme load`` of ``text`` on a new database; the file, the result, ``programme list``."""
    path = tmp_path / "gonesse.toml"
    path.write_text(text, encoding="utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'site.db'}"]
    cli = make_cli(manager())
    runner = CliRunner()
    assert runner.invoke(cli, [*db, "init"]).exit_code == 0
    result = runner.invoke(cli, [*db, "programme", "load", str(path)])
    return path, result, runner.invoke(cli, [*db, "programme", "list"])


def test_programme_load_reports_channel_problems_with_exit_code_1(tmp_path: Path) -> None:
    path, result, _ = load(tmp_path, PROGRAMME_TOML + '\n[notify.fichierz]\npath = "x"\n')
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}: [notify.fichierz]: no notifier plugin named 'fichierz'" in result.stderr


def test_programme_load_reports_every_problem_of_the_file_at_once(tmp_path: Path) -> None:
    text = PROGRAMME_TOML.replace('id = "gonesse"', 'id = "Gonesse"').replace(
        "months = 6", "mois = 6"
    )
    path, result, listed = load(tmp_path, text + '\n[notify.chat]\nrooom = "cip"\n')
    assert result.exit_code == 1
    lines = [line.removeprefix("Error: ") for line in result.stderr.splitlines()]
    assert [line.removeprefix(f"{path}: ").split(":")[0] for line in lines] == [
        "programme.id",
        "followup.mois",
        "followup.months",
        "[notify.chat]",
        "[notify.chat]",
    ]
    assert listed.stdout == ""  # nothing written
