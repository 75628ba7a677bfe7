"""Fixtures of the importer tests: a small in-memory storage behind a test plugin.

The real storages live on another branch; this fake implements the storage
Protocols with a transaction (a working copy, kept only on commit), and a
test plugin hands it out for ``test-memory://NAME`` URLs, so the CLI finds
it through ``make_cli(pm)`` exactly as it would find a real one. One storage
per URL lives as long as the plugin, i.e. one test.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pluggy
import pytest

from insertion_core import Workspace, get_plugin_manager, hookimpl
from insertion_core.domain import Cohort, Journey, PersonalData, Programme
from insertion_core.domain.programme import loads_programme

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


def find_shared() -> Path:
    """The project's ``shared/`` folder (design documents, sample data), found walking up."""
    for folder in Path(__file__).resolve().parents:
        if (folder / "shared" / "design").is_dir():
            return folder / "shared"
    raise FileNotFoundError(f"no shared/ folder above {Path(__file__).resolve().parent}")


class _Data:
    def __init__(self) -> None:
        self.programmes: dict[str, tuple[Programme, str]] = {}
        self.journeys: dict[tuple[str, str], Journey] = {}
        self.cohorts: dict[tuple[str, str], Cohort] = {}
        self.personal: dict[tuple[str, str], PersonalData] = {}
        self.bulk_saves = 0


class _Programmes:
    def __init__(self, data: _Data) -> None:
        self.data = data

    def save(self, programme: Programme, source: str) -> None:
        self.data.programmes[programme.id] = (programme, source)

    def get(self, programme_id: str) -> Programme | None:
        found = self.data.programmes.get(programme_id)
        return None if found is None else found[0]

    def ids(self) -> list[str]:
        return sorted(self.data.programmes)


class _Journeys:
    def __init__(self, data: _Data) -> None:
        self.data = data

    def get(self, programme_id: str, participant_id: str) -> Journey | None:
        return self.data.journeys.get((programme_id, participant_id))

    def save(self, programme_id: str, journey: Journey) -> None:
        self.data.journeys[(programme_id, journey.participant_id)] = journey

    def save_many(self, programme_id: str, journeys: Iterable[Journey]) -> int:
        """What the real storages offer the importer: many journeys in one call."""
        saved = 0
        for journey in journeys:
            self.save(programme_id, journey)
            saved += 1
        self.data.bulk_saves += 1
        return saved

    def iter(self, programme_id: str) -> Iterator[Journey]:
        for (prog, _), journey in sorted(self.data.journeys.items()):
            if prog == programme_id:
                yield journey

    def count(self, programme_id: str) -> int:
        return sum(1 for prog, _ in self.data.journeys if prog == programme_id)


class _Cohorts:
    def __init__(self, data: _Data) -> None:
        self.data = data

    def save(self, programme_id: str, cohort: Cohort) -> None:
        self.data.cohorts[(programme_id, cohort.cohort_id)] = cohort

    def get(self, programme_id: str, cohort_id: str) -> Cohort | None:
        return self.data.cohorts.get((programme_id, cohort_id))

    def list(self, programme_id: str) -> list[Cohort]:
        return [c for (p, _), c in sorted(self.data.cohorts.items()) if p == programme_id]


class _Personal:
    def __init__(self, data: _Data) -> None:
        self.data = data

    def save(self, programme_id: str, personal: PersonalData) -> None:
        key = (programme_id, personal.participant_id)
        if personal.is_empty():
            self.data.personal.pop(key, None)
        else:
            self.data.personal[key] = personal

    def get(self, programme_id: str, participant_id: str) -> PersonalData | None:
        return self.data.personal.get((programme_id, participant_id))


class FakeUnitOfWork:
    """A working copy of the storage's data, made durable only by :meth:`commit`."""

    def __init__(self, storage: FakeStorage) -> None:
        self.storage = storage
        self.rollback()

    def rollback(self) -> None:
        self.data = copy.copy(self.storage.data)
        for name in ("programmes", "journeys", "cohorts", "personal"):
            setattr(self.data, name, dict(getattr(self.storage.data, name)))
        self.programmes = _Programmes(self.data)
        self.journeys = _Journeys(self.data)
        self.cohorts = _Cohorts(self.data)
        self.personal = _Personal(self.data)

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        self.storage.data = self.data
        self.storage.commits += 1
        self.rollback()


class FakeStorage:
    """In-memory storage for one test; ``commits`` counts committed transactions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.data = _Data()
        self.commits = 0

    def initialise(self) -> None:
        pass

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    def close(self) -> None:
        pass


class FakeStoragePlugin:
    """A test plugin: ``get_storage`` for ``test-memory://`` URLs, one storage per URL."""

    def __init__(self) -> None:
        self.storages: dict[str, FakeStorage] = {}

    @hookimpl
    def get_storage(self, url: str) -> FakeStorage | None:
        if not url.startswith("test-memory://"):
            return None
        return self.storages.setdefault(url, FakeStorage(url))


def make_pm(plugin: FakeStoragePlugin) -> pluggy.PluginManager:
    """A fresh plugin manager: the built-ins and the fake storage, no entry points."""
    pm = get_plugin_manager(load_entry_points=False, strict=True)
    pm.register(plugin, name="test-memory")
    return pm


def open_workspace(toml: str = PROGRAMME_TOML, url: str = "test-memory://test") -> Workspace:
    """A workspace on a fresh fake storage with the programme in ``toml`` loaded."""
    plugin = FakeStoragePlugin()
    workspace = Workspace.open(url, plugin_manager=make_pm(plugin))
    workspace.save_programme(toml, "programme.toml")
    return workspace


def store_programme(workspace: Workspace, programme: Programme) -> None:
    """Put a programme value (one hypothesis built, say) straight into the storage."""
    with workspace.storage.unit_of_work() as uow:
        uow.programmes.save(programme, "<generated>")
        uow.commit()


@pytest.fixture
def plugin() -> FakeStoragePlugin:
    return FakeStoragePlugin()


@pytest.fixture
def pm(plugin: FakeStoragePlugin) -> pluggy.PluginManager:
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
