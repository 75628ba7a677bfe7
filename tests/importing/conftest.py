"""Fixtures of the importer tests: the real in-memory storage behind the test plugin.

:class:`tests.fakes.SharedMemoryPlugin` hands out one ``MemoryStorage`` per
``test-memory://NAME`` URL, so the CLI finds it through ``make_cli(pm)``
exactly as it would find a real one, and sees the data of a workspace opened
on the same URL. One storage per URL lives as long as the plugin, i.e. one test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pluggy
import pytest
from click.testing import CliRunner, Result

from insertion_core import Workspace, get_plugin_manager
from insertion_core.cli import make_cli
from insertion_core.domain import Programme
from insertion_core.domain.programme import loads_programme

from ..fakes import SharedMemoryPlugin
from ..strategies import to_toml

PROGRAMME_TOML = """
[programme]
id = "demo"
name = "Demo programme"

[eligibility]
min_age = 16
max_age = 25
max_education_level = "4"

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]

[import]
ignore_columns = ["Commentaires"]
"""


def make_pm(plugin: SharedMemoryPlugin) -> pluggy.PluginManager:
    """A fresh plugin manager: the built-ins and the test storage, no entry points."""
    pm = get_plugin_manager(load_entry_points=False, strict=True)
    pm.register(plugin, name="test-memory")
    return pm


def open_workspace(toml: str = PROGRAMME_TOML, url: str = "test-memory://test") -> Workspace:
    """A workspace on a fresh test storage with the programme in ``toml`` loaded."""
    plugin = SharedMemoryPlugin()
    workspace = Workspace.open(url, plugin_manager=make_pm(plugin))
    workspace.save_programme(toml, "programme.toml")
    return workspace


def store_programme(workspace: Workspace, programme: Programme) -> None:
    """Put a programme value (one hypothesis built, say) straight into the storage."""
    with workspace.storage.unit_of_work() as uow:
        uow.programmes.save(programme, to_toml(programme))
        uow.commit()


@pytest.fixture
def plugin() -> SharedMemoryPlugin:
    return SharedMemoryPlugin()


@pytest.fixture
def pm(plugin: SharedMemoryPlugin) -> pluggy.PluginManager:
    return make_pm(plugin)


@pytest.fixture
def workspace(pm: pluggy.PluginManager) -> Iterator[Workspace]:
    with Workspace.open("test-memory://test", plugin_manager=pm) as ws:
        ws.save_programme(PROGRAMME_TOML, "programme.toml")
        yield ws


@pytest.fixture
def programme() -> Programme:
    return loads_programme(PROGRAMME_TOML)


def snapshot(workspace: Workspace, programme_id: str = "demo") -> dict[str, Any]:
    """Everything stored for a programme, for comparing two imports."""
    with workspace.storage.unit_of_work() as uow:
        journeys = list(uow.journeys.iter(programme_id))
        return {
            "journeys": journeys,
            "cohorts": uow.cohorts.list(programme_id),
            "personal": [uow.personal.get(programme_id, j.participant_id) for j in journeys],
        }


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a CSV file exactly as given (``\\n`` line ends unless the text has others)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


#: The storage URL the CLI tests import into.
CLI_DB = "test-memory://cli"
Run = Callable[..., Result]


@pytest.fixture
def run(pm: pluggy.PluginManager, tmp_path: Path) -> Run:
    """``insertion --db CLI_DB import ARGS...`` through CliRunner, the programme loaded."""
    cli = make_cli(pm)
    runner = CliRunner()
    programme = write(tmp_path / "programme.toml", PROGRAMME_TOML)
    loaded = runner.invoke(cli, ["--db", CLI_DB, "programme", "load", str(programme)])
    assert loaded.exit_code == 0, loaded.output

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--db", CLI_DB, "import", *args])

    return invoke


def stored_ids(plugin: SharedMemoryPlugin) -> list[str]:
    """The participant ids the CLI's storage holds, in every programme."""
    with plugin.store(CLI_DB).unit_of_work() as uow:
        return sorted(
            j.participant_id for pid in uow.programmes.ids() for j in uow.journeys.iter(pid)
        )
