"""Fixtures shared by the test modules: a fresh plugin manager, the test storage, file paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from insertion_core import Workspace, get_plugin_manager
from insertion_core.plugins import PluginManager

from .fakes import EventRecorder, FakeStoragePlugin


def find_shared() -> Path:
    """The project's ``shared/`` folder, found by walking up from this file.

    In a developer's worktree it sits beside the checkout; CI clones into
    another folder with a copy of ``shared/`` beside it.
    """
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared"
        if (candidate / "design").is_dir():
            return candidate
    raise FileNotFoundError(f"no shared/ folder above {Path(__file__).resolve().parent}")


@pytest.fixture
def shared_dir() -> Path:
    return find_shared()


@pytest.fixture
def sample_programme(shared_dir: Path) -> Path:
    """The sample site's programme.toml (DATA_FORMAT.md §1)."""
    return shared_dir / "data" / "sample-site" / "programme.toml"


@pytest.fixture
def storage_plugin() -> FakeStoragePlugin:
    return FakeStoragePlugin()


@pytest.fixture
def recorder() -> EventRecorder:
    return EventRecorder()


@pytest.fixture
def pm(storage_plugin: FakeStoragePlugin, recorder: EventRecorder) -> PluginManager:
    """A fresh manager: built-ins, the test storage and an event recorder, no entry points."""
    manager = get_plugin_manager(load_entry_points=False, strict=False)
    manager.register(storage_plugin, name="test-storage")
    manager.register(recorder, name="test-recorder")
    return manager


@pytest.fixture
def workspace(pm: PluginManager) -> Iterator[Workspace]:
    with Workspace.open("test-memory://ws", plugin_manager=pm, initialise=True) as ws:
        yield ws


PROGRAMME_TOML = """\
[programme]
id = "gonesse"
name = "Fabrique numérique de Gonesse"
locale = "fr"

[eligibility]
min_age = 16
max_age = 25
max_education_level = "2"

[[phases]]
id = "accueil"
name = "Accueil et diagnostic"
weeks = 2

[[phases]]
id = "projets"
name = "Projets"
weeks = 16

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]
"""


@pytest.fixture
def programme_file(tmp_path: Path) -> Path:
    """A small valid programme file, ``gonesse`` with two phases and age 16-25."""
    path = tmp_path / "programme.toml"
    path.write_text(PROGRAMME_TOML, encoding="utf-8")
    return path
