"""The Gonesse reference data in an in-memory workspace, and a recording notifier."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from insertion_core import Exit, Participant, Situation, Workspace, hookimpl
from insertion_core.domain import ExitReason
from insertion_core.importing import import_directory
from insertion_core.notify import Notice
from insertion_core.plugins import PluginManager, get_plugin_manager

GONESSE = Path(__file__).resolve().parents[2] / "examples" / "gonesse"
sys.path.insert(0, str(GONESSE))

from generate import AS_OF, write  # noqa: E402


class Recorder:
    """A channel that keeps what it is asked to send, and fails while ``failing`` is set.

    ``during``, when set, is called with the notice id in the middle of each attempt.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[tuple[str, Notice]] = []
        self.failing: BaseException | None = None
        self.during: Callable[[str], None] | None = None

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        if self.during is not None:
            self.during(notice_id)
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


SITE = """
[programme]
id = "site"
name = "Site"

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]
"""
#: The day every participant of :func:`small_site` has their 1-month check-in due.
SITE_AS_OF = dt.date(2026, 7, 5)


def small_site(workspace: Workspace, participants: int, channels: str) -> None:
    """Programme ``site`` with ``[notify.*]`` tables ``channels``, and one check-in due per participant."""
    workspace.save_programme(SITE + "\n" + channels)
    for number in range(1, participants + 1):
        pid = f"S-{number:02d}"
        workspace.enrol("site", Participant(pid, "C1", dt.date(2026, 1, 12), counsellor="cip-1"))
        exit_ = Exit(dt.date(2026, 6, 5), ExitReason.COMPLETED, Situation("job_search"))
        workspace.record_exit("site", pid, exit_)


def store_unchecked(workspace: Workspace, text: str) -> None:
    """Store a programme as a version that did not check channel tables at load would have."""
    from insertion_core.domain import loads_programme

    with workspace.storage.unit_of_work() as uow:
        uow.programmes.save(loads_programme(text), text)
        uow.commit()
