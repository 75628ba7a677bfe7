"""Test doubles: the real in-memory storage shared per ``test-memory://`` URL, and an event recorder.

The built-in ``memory://`` storage gives every opening a private store. The
test plugin here answers ``get_storage`` for ``test-memory://NAME`` with the
one :class:`MemoryStorage` of NAME, as :mod:`insertion_core.testing` pins one
storage for ``insertion_workspace``, so the command line and a workspace in
one test see the same data. Each opening is a :class:`CountingStorage`: it
counts what tests assert on (initialise calls, commits, bulk saves) and can
refuse commits; the data, transactions and rollback are the real storage's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Self

from insertion_core import hookimpl
from insertion_core.default_plugins.memory import MemoryStorage, MemoryUnitOfWork
from insertion_core.domain import Event, Journey, Programme
from insertion_core.errors import StorageError

SCHEME = "test-memory://"


class _Programmes:
    """The storage's programmes, noting the TOML text each was saved with."""

    def __init__(self, storage: CountingStorage, uow: MemoryUnitOfWork) -> None:
        self._storage = storage
        self._programmes = uow.programmes

    def save(self, programme: Programme, source: str) -> None:
        self._programmes.save(programme, source)
        self._storage.sources[programme.id] = source

    def get(self, programme_id: str) -> Programme | None:
        return self._programmes.get(programme_id)

    def ids(self) -> list[str]:
        return self._programmes.ids()


class _Journeys:
    """The storage's journeys through the Protocol only: no ``save_many``."""

    def __init__(self, storage: CountingStorage, uow: MemoryUnitOfWork) -> None:
        self._storage = storage
        self._journeys = uow.journeys

    def get(self, programme_id: str, participant_id: str) -> Journey | None:
        return self._journeys.get(programme_id, participant_id)

    def save(self, programme_id: str, journey: Journey) -> None:
        self._journeys.save(programme_id, journey)

    def iter(self, programme_id: str) -> Iterator[Journey]:
        return self._journeys.iter(programme_id)

    def count(self, programme_id: str) -> int:
        return self._journeys.count(programme_id)

    def remove(self, programme_id: str, participant_id: str) -> bool:
        return self._journeys.remove(programme_id, participant_id)


class _BulkJourneys(_Journeys):
    """The storage's journeys with its ``save_many``, counted in ``bulk_saves``."""

    def save_many(self, programme_id: str, journeys: Iterable[Journey]) -> int:
        self._storage.bulk_saves += 1
        return self._journeys.save_many(programme_id, journeys)


class CountingUnitOfWork:
    """A real unit of work; its commits are counted, or refused while ``fail_commits``."""

    def __init__(self, storage: CountingStorage, uow: MemoryUnitOfWork) -> None:
        self._storage = storage
        self._uow = uow
        self.programmes = _Programmes(storage, uow)
        self.journeys = (_BulkJourneys if storage.offers_save_many else _Journeys)(storage, uow)
        self.cohorts = uow.cohorts
        self.personal = uow.personal
        self.notices = uow.notices
        self.audit = uow.audit

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._uow.__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        if self._storage.fail_commits:
            raise StorageError("the test storage refuses to commit")
        self._uow.commit()
        self._storage.commits += 1

    def rollback(self) -> None:
        self._uow.rollback()


class CountingStorage:
    """One opening of a real :class:`MemoryStorage` (a private one unless given).

    ``initialised`` and ``commits`` count calls, ``bulk_saves`` counts
    ``save_many`` calls, ``sources`` keeps the TOML text each programme was
    last handed to ``save`` with; ``fail_commits`` makes every commit raise
    :class:`StorageError`; ``offers_save_many = False`` hides the bulk save,
    as a storage without it would. :meth:`close` is recorded and leaves the store
    open for the next opening.
    """

    def __init__(self, url: str, store: MemoryStorage | None = None) -> None:
        self._url = url
        self.store = store if store is not None else MemoryStorage()
        self.fail_commits = False
        self.offers_save_many = True
        self.commits = 0
        self.bulk_saves = 0
        self.initialised = 0
        self.closed = False
        self.sources: dict[str, str] = {}

    @property
    def url(self) -> str:
        return self._url

    def initialise(self) -> None:
        self.store.initialise()
        self.initialised += 1

    def unit_of_work(self, *, read_only: bool = False) -> CountingUnitOfWork:
        return CountingUnitOfWork(self, self.store.unit_of_work(read_only=read_only))

    def close(self) -> None:
        self.closed = True


class SharedMemoryPlugin:
    """A storage plugin for ``test-memory://NAME``: every opening of NAME shares one store."""

    def __init__(self) -> None:
        self.stores: dict[str, MemoryStorage] = {}
        self.opened: list[CountingStorage] = []

    @hookimpl
    def get_storage(self, url: str) -> CountingStorage | None:
        if not url.startswith(SCHEME):
            return None
        storage = CountingStorage(url, self.store(url))
        self.opened.append(storage)
        return storage

    def store(self, url: str) -> MemoryStorage:
        """The real storage behind ``url``: read it through a unit of work."""
        return self.stores.setdefault(url, MemoryStorage("memory://" + url.removeprefix(SCHEME)))


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
