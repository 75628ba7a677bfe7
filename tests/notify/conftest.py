"""The Gonesse reference data in an in-memory workspace, and a recording notifier."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from insertion_core import Workspace, hookimpl
from insertion_core.importing import import_directory
from insertion_core.notify import Notice
from insertion_core.plugins import PluginManager, get_plugin_manager

GONESSE = Path(__file__).resolve().parents[2] / "examples" / "gonesse"
sys.path.insert(0, str(GONESSE))

from generate import AS_OF, write  # noqa: E402


class Recorder:
    """A channel that keeps what it is asked to send, and fails while ``failing`` is set."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[tuple[str, Notice]] = []
        self.failing: BaseException | None = None

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        if self.failing is not None:
            raise self.failing
        self.sent.append((notice_id, notice))


class Channels:
    """A plugin registering recording channels."""

    def __init__(self, *names: str) -> None:
        self.by_name = {name: Recorder(name) for name in names}

    @hookimpl
    def register_notifiers(self, register: Callable[[Any], None]) -> None:
        for recorder in self.by_name.values():
            register(recorder)


@pytest.fixture(scope="session")
def gonesse_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gonesse")
    write(folder)
    return folder


def programme_with(channels: str) -> str:
    """The Gonesse programme file with ``[notify.*]`` tables appended."""
    return (GONESSE / "programme.toml").read_text(encoding="utf-8") + "\n" + channels


@pytest.fixture
def channels() -> Channels:
    return Channels("first", "second")


@pytest.fixture
def manager(channels: Channels) -> PluginManager:
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    pm.register(channels, name="test-channels")
    return pm


@pytest.fixture
def gonesse(manager: PluginManager, gonesse_data: Path) -> Iterator[Workspace]:
    """Gonesse with two recording channels, the second one allowed to show names."""
    with Workspace.open("memory://notify", plugin_manager=manager) as workspace:
        workspace.save_programme(
            programme_with("[notify.first]\n\n[notify.second]\ninclude_names = true\n")
        )
        import_directory(workspace, "gonesse", gonesse_data, today=AS_OF)
        yield workspace


AS_OF_DAY: dt.date = AS_OF
