"""Test doubles: an in-memory storage with real commit and rollback, and an event recorder.

The storage implements the Protocols of ``insertion_core.storage`` and is
offered through a ``get_storage`` hook implementation for ``test-memory://``
URLs, exactly as a storage plugin would be. It stands in for the real
``memory://`` storage until that one lands, and is deliberately simple:
a unit of work works on a copy of the committed data and replaces the
committed data on commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Self

import attrs

from insertion_core import hookimpl
from insertion_core.domain import Cohort, Event, Journey, PersonalData, Programme
from insertion_core.errors import StorageError

SCHEME = "test-memory://"


@attrs.define
class Data:
    """Everything one storage holds; values are frozen, so copying the dicts copies the state."""

    programmes: dict[str, tuple[Programme, str]] = attrs.Factory(dict)
    journeys: dict[tuple[str, str], Journey] = attrs.Factory(dict)
    cohorts: dict[tuple[str, str], Cohort] = attrs.Factory(dict)
    personal: dict[tuple[str, str], PersonalData] = attrs.Factory(dict)

    def copy(self) -> Data:
        return Data(
            dict(self.programmes), dict(self.journeys), dict(self.cohorts), dict(self.personal)
        )

    def assign(self, other: Data) -> None:
        """Take ``other``'s content, in place, so every storage sharing this object sees it."""
        fresh = other.copy()
        self.programmes, self.journeys = fresh.programmes, fresh.journeys
        self.cohorts, self.personal = fresh.cohorts, fresh.personal


class _Programmes:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def save(self, programme: Programme, source: str) -> None:
        self.uow.data.programmes[programme.id] = (programme, source)

    def get(self, programme_id: str) -> Programme | None:
        found = self.uow.data.programmes.get(programme_id)
        return None if found is None else found[0]

    def ids(self) -> list[str]:
        return sorted(self.uow.data.programmes)


class _Journeys:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def get(self, programme_id: str, participant_id: str) -> Journey | None:
        return self.uow.data.journeys.get((programme_id, participant_id))

    def save(self, programme_id: str, journey: Journey) -> None:
        self.uow.data.journeys[(programme_id, journey.participant_id)] = journey

    def iter(self, programme_id: str) -> Iterator[Journey]:
        for (pid, _), journey in sorted(self.uow.data.journeys.items()):
            if pid == programme_id:
                yield journey

    def count(self, programme_id: str) -> int:
        return sum(1 for pid, _ in self.uow.data.journeys if pid == programme_id)


class _Cohorts:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def save(self, programme_id: str, cohort: Cohort) -> None:
        self.uow.data.cohorts[(programme_id, cohort.cohort_id)] = cohort

    def get(self, programme_id: str, cohort_id: str) -> Cohort | None:
        return self.uow.data.cohorts.get((programme_id, cohort_id))

    def list(self, programme_id: str) -> list[Cohort]:
        return [c for (pid, _), c in sorted(self.uow.data.cohorts.items()) if pid == programme_id]


class _Personal:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def save(self, programme_id: str, personal: PersonalData) -> None:
        key = (programme_id, personal.participant_id)
        if personal.is_empty():
            self.uow.data.personal.pop(key, None)
        else:
            self.uow.data.personal[key] = personal

    def get(self, programme_id: str, participant_id: str) -> PersonalData | None:
        return self.uow.data.personal.get((programme_id, participant_id))


class FakeUnitOfWork:
    """Works on a copy of the committed data; commit publishes it, anything else drops it."""

    def __init__(self, storage: FakeStorage) -> None:
        self.storage = storage
        self.data = storage.committed.copy()
        self.programmes = _Programmes(self)
        self.journeys = _Journeys(self)
        self.cohorts = _Cohorts(self)
        self.personal = _Personal(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        if self.storage.fail_commits:
            raise StorageError("the test storage refuses to commit")
        self.storage.committed.assign(self.data)
        self.storage.commits += 1

    def rollback(self) -> None:
        self.data = self.storage.committed.copy()


class FakeStorage:
    """An in-memory storage; ``fail_commits`` makes every commit raise :class:`StorageError`."""

    def __init__(self, url: str, committed: Data | None = None) -> None:
        self._url = url
        self.committed = committed if committed is not None else Data()
        self.fail_commits = False
        self.commits = 0
        self.initialised = 0
        self.closed = False

    @property
    def url(self) -> str:
        return self._url

    def initialise(self) -> None:
        self.initialised += 1

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    def close(self) -> None:
        self.closed = True


class FakeStoragePlugin:
    """A storage plugin for ``test-memory://NAME``: storages with one NAME share their data."""

    def __init__(self) -> None:
        self.stores: dict[str, Data] = {}
        self.opened: list[FakeStorage] = []

    @hookimpl
    def get_storage(self, url: str) -> FakeStorage | None:
        if not url.startswith(SCHEME):
            return None
        storage = FakeStorage(url, self.stores.setdefault(url, Data()))
        self.opened.append(storage)
        return storage

    def data(self, url: str) -> Data:
        """The committed data of ``url``."""
        return self.stores.setdefault(url, Data())


class EventRecorder:
    """An ``on_event`` plugin that keeps every event it is handed, and what it saw then."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.visible: list[bool] = []

    @hookimpl
    def on_event(self, event: Event, workspace: object) -> None:
        self.events.append(event)
        from insertion_core import Workspace

        if isinstance(workspace, Workspace):
            ids = [j.participant_id for j in workspace.journeys(event.programme_id)]
            self.visible.append(event.participant_id in ids)
