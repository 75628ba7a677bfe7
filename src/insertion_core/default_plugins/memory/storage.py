"""The in-memory storage (``memory://``): for tests, demos and dry runs.

Each ``get_storage`` call opens a new, private store: two storages opened
with the same URL (``memory://``, or ``memory://name`` where the name is only a
label) never share data, so tests cannot leak into each other. To share one,
pass the storage object around.

A unit of work copies what it reads, per programme, and changes its copy; a
commit publishes the participants, cohorts and programmes it changed, and a
rollback (or leaving the ``with`` block) forgets them. Participants are
versioned as in SQL: a journey read with ``get`` and saved in the same unit
of work is checked against the committed version, at the save and again at
the commit, and :class:`ConflictError` names what someone else changed.
Other writes to the same entry: the last commit wins.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Literal, Self

from ...audit.entry import AuditEntry
from ...domain.changes import journey_changes
from ...domain.journey import Journey
from ...domain.model import Cohort, PersonalData
from ...domain.programme import Programme
from ...errors import ConflictError, NotFoundError, StorageBusyError, StorageError
from ...notify.ledger import LedgerEntry, LedgerStatus
from ...notify.notice import is_about
from ..programme_source import check_source, programme_from_source
from .audit import MemoryAuditJournal

__all__ = ["MemoryStorage", "MemoryUnitOfWork"]

Table = Literal["programmes", "journeys", "cohorts", "personal", "notices", "audit", "subjects"]
# programmes are kept as their source text, under programme id "" of table "programmes";
# subject tokens as text, under the participant id.
Value = str | Journey | Cohort | PersonalData | LedgerEntry | AuditEntry
#: The version and journey a unit of work read for a participant; (None, None): absent.
_Read = tuple[int | None, Journey | None]


class _Store:
    """Committed data: ``tables[table][programme_id][key]``, guarded by a lock.

    ``versions[programme_id][participant_id]`` counts the commits that saved
    each participant's journey (absent: never saved).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tables: dict[Table, dict[str, dict[str, Value]]] = {
            "programmes": {},
            "journeys": {},
            "cohorts": {},
            "personal": {},
            "notices": {},
            "audit": {},
            "subjects": {},
        }
        self.versions: dict[str, dict[str, int]] = {}
        self.sequence = itertools.count(1)

    def check(self, programme_id: str, participant_id: str, read: _Read) -> None:
        """:class:`ConflictError` when the committed version is not the one read (lock held)."""
        version, journey = read
        if self.versions.get(programme_id, {}).get(participant_id) != version:
            now = self.tables["journeys"].get(programme_id, {}).get(participant_id)
            found = now if isinstance(now, Journey) else None
            raise ConflictError(participant_id, journey_changes(journey, found))


class _Transaction:
    """A unit of work's copies of what it touched, and what it changed."""

    def __init__(self, store: _Store) -> None:
        self._store = store
        self._copies: dict[tuple[Table, str], dict[str, Value]] = {}
        self._changed: set[tuple[Table, str, str]] = set()
        self._versions: dict[str, dict[str, int]] = {}
        self.read: dict[tuple[str, str], _Read] = {}
        # notice id -> the version its committed entry must still have at commit (None: absent)
        self._notice_guards: dict[str, object] = {}

    def view(self, table: Table, programme_id: str) -> dict[str, Value]:
        """This transaction's copy of one programme's part of a table."""
        key = (table, programme_id)
        if key not in self._copies:
            with self._store.lock:
                self._copies[key] = dict(self._store.tables[table].get(programme_id, {}))
                if table == "journeys":
                    self._versions[programme_id] = dict(self._store.versions.get(programme_id, {}))
        return self._copies[key]

    def note_read(self, programme_id: str, participant_id: str, journey: Journey | None) -> None:
        """Remember the version of the journey read, for the check when it is saved."""
        version = self._versions.get(programme_id, {}).get(participant_id)
        self.read[(programme_id, participant_id)] = (version, journey)

    def check_read(self, programme_id: str, participant_id: str) -> None:
        """:class:`ConflictError` when a journey read here was committed by someone else since."""
        read = self.read.get((programme_id, participant_id))
        if read is not None:
            with self._store.lock:
                self._store.check(programme_id, participant_id, read)

    def put(self, table: Table, programme_id: str, key: str, value: Value | None) -> None:
        """Set (or, with None, remove) one entry in this transaction."""
        view = self.view(table, programme_id)
        if value is None:
            view.pop(key, None)
        else:
            view[key] = value
        self._changed.add((table, programme_id, key))

    def next_seq(self) -> int:
        """The next audit journal number (numbers of rolled-back entries are not reused)."""
        with self._store.lock:
            return next(self._store.sequence)

    def require_programme(self, programme_id: str) -> None:
        if programme_id not in self.view("programmes", ""):
            raise NotFoundError(f"programme {programme_id!r} is not stored; load it first")

    def swap_notice(self, entry: LedgerEntry, expected: LedgerEntry | None) -> bool:
        """Put ``entry`` if the notice's entry is still ``expected``; checked again at commit."""
        mine = ("notices", "", entry.notice_id) in self._changed
        with self._store.lock:
            stored = self._store.tables["notices"].get("", {}).get(entry.notice_id)
        current = self.view("notices", "").get(entry.notice_id) if mine else stored
        if _notice_version(current) != _notice_version(expected):
            return False
        self._notice_guards.setdefault(entry.notice_id, _notice_version(stored))
        self.put("notices", "", entry.notice_id, entry)
        return True

    def commit(self) -> None:
        """Check the journeys read and the notices swapped, publish the changes, start afresh.

        :raises ConflictError: a journey read here was changed by another meanwhile.
        :raises StorageBusyError: a notice this transaction swapped was changed by
            another meanwhile; run the transaction again.
        """
        with self._store.lock:
            notices = self._store.tables["notices"].get("", {})
            for notice_id, version in self._notice_guards.items():
                if _notice_version(notices.get(notice_id)) != version:
                    raise StorageBusyError(f"notice {notice_id} was changed meanwhile")
            for table, programme_id, key in self._changed:
                if table == "journeys" and (programme_id, key) in self.read:
                    self._store.check(programme_id, key, self.read[(programme_id, key)])
            for table, programme_id, key in self._changed:
                value = self._copies[(table, programme_id)].get(key)
                part = self._store.tables[table].setdefault(programme_id, {})
                if value is None:
                    part.pop(key, None)
                else:
                    part[key] = value
                if table == "journeys":
                    versions = self._store.versions.setdefault(programme_id, {})
                    versions[key] = versions.get(key, 0) + 1
        self.rollback()

    def rollback(self) -> None:
        """Forget the copies, the versions read and the changes."""
        self._copies.clear()
        self._changed.clear()
        self._versions.clear()
        self.read.clear()
        self._notice_guards.clear()


def _notice_version(entry: Value | None) -> object:
    return entry.version if isinstance(entry, LedgerEntry) else None


class _Programmes:
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def save(self, programme: Programme, source: str) -> None:
        """Add the programme, or replace the one with the same id."""
        check_source(programme, source)
        self._tx.put("programmes", "", programme.id, source)

    def get(self, programme_id: str) -> Programme | None:
        """The programme with this id, or None."""
        source = self._tx.view("programmes", "").get(programme_id)
        return None if not isinstance(source, str) else programme_from_source(programme_id, source)

    def ids(self) -> list[str]:
        """Every programme id, sorted."""
        return sorted(self._tx.view("programmes", ""))


class _Journeys:
    def __init__(self, tx: _Transaction, batch_size: int) -> None:
        self._tx = tx
        self._batch_size = batch_size

    def get(self, programme_id: str, participant_id: str) -> Journey | None:
        """The participant's journey, or None when they are not enrolled."""
        found = self._tx.view("journeys", programme_id).get(participant_id)
        journey = found if isinstance(found, Journey) else None
        self._tx.note_read(programme_id, participant_id, journey)
        return journey

    def save(self, programme_id: str, journey: Journey) -> None:
        """Store the whole journey, replacing what was stored for that participant."""
        self.save_many(programme_id, (journey,))

    def save_many(self, programme_id: str, journeys: Iterable[Journey]) -> int:
        """Store many journeys (the later one wins for a participant); how many were given."""
        self._tx.require_programme(programme_id)
        stored = 0
        for journey in journeys:
            self._tx.check_read(programme_id, journey.participant_id)
            self._tx.put("journeys", programme_id, journey.participant_id, journey)
            stored += 1
        return stored

    def iter(self, programme_id: str) -> Iterator[Journey]:
        """Every journey of the programme, in participant id order, a batch at a time.

        Like the SQL storage, each batch starts after the last id yielded, so a
        journey saved meanwhile with a later id is seen.
        """
        view = self._tx.view("journeys", programme_id)
        last: str | None = None
        while True:
            ids = heapq.nsmallest(self._batch_size, (k for k in view if last is None or k > last))
            for participant_id in ids:
                journey = view.get(participant_id)
                if isinstance(journey, Journey):
                    yield journey
            if len(ids) < self._batch_size:
                return
            last = ids[-1]

    def count(self, programme_id: str) -> int:
        """How many participants the programme has."""
        return len(self._tx.view("journeys", programme_id))

    def remove(self, programme_id: str, participant_id: str) -> bool:
        """Remove the participant's journey; False when they were not enrolled."""
        if participant_id not in self._tx.view("journeys", programme_id):
            return False
        self._tx.put("journeys", programme_id, participant_id, None)
        return True


class _Cohorts:
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def save(self, programme_id: str, cohort: Cohort) -> None:
        """Add the cohort, or replace the one with the same id."""
        self._tx.require_programme(programme_id)
        self._tx.put("cohorts", programme_id, cohort.cohort_id, cohort)

    def get(self, programme_id: str, cohort_id: str) -> Cohort | None:
        """The cohort, or None."""
        cohort = self._tx.view("cohorts", programme_id).get(cohort_id)
        return cohort if isinstance(cohort, Cohort) else None

    def list(self, programme_id: str) -> list[Cohort]:
        """Every cohort of the programme, by id."""
        view = self._tx.view("cohorts", programme_id)
        return [c for _, c in sorted(view.items()) if isinstance(c, Cohort)]


class _Personal:
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def save(self, programme_id: str, personal: PersonalData) -> None:
        """Store the participant's personal data (an empty value removes it)."""
        self._tx.require_programme(programme_id)
        value = None if personal.is_empty() else personal
        self._tx.put("personal", programme_id, personal.participant_id, value)

    def save_many(self, programme_id: str, personal: Iterable[PersonalData]) -> int:
        """Store each as ``save`` would (the later one wins); how many were given."""
        given = 0
        for one in personal:
            self.save(programme_id, one)
            given += 1
        return given

    def get(self, programme_id: str, participant_id: str) -> PersonalData | None:
        """The participant's personal data, or None."""
        personal = self._tx.view("personal", programme_id).get(participant_id)
        return personal if isinstance(personal, PersonalData) else None


class _Notices:
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def get(self, notice_id: str) -> LedgerEntry | None:
        """The entry of one notice on one channel, or None."""
        entry = self._tx.view("notices", "").get(notice_id)
        return entry if isinstance(entry, LedgerEntry) else None

    def save(self, entry: LedgerEntry) -> None:
        """Add or replace the entry."""
        self._tx.require_programme(entry.programme_id)
        self._tx.put("notices", "", entry.notice_id, entry)

    def compare_and_swap(self, entry: LedgerEntry, expected: LedgerEntry | None) -> bool:
        """Write ``entry`` only if the stored one is still ``expected`` (None: no entry)."""
        self._tx.require_programme(entry.programme_id)
        return self._tx.swap_notice(entry, expected)

    def unsettled(self, programme_id: str) -> list[LedgerEntry]:
        """Entries not sent, by key then channel."""
        entries = [
            e
            for e in self._tx.view("notices", "").values()
            if isinstance(e, LedgerEntry)
            and e.programme_id == programme_id
            and e.status is not LedgerStatus.SENT
        ]
        return sorted(entries, key=lambda e: (e.key, e.channel))

    def about(self, programme_id: str, participant_ref: str) -> list[LedgerEntry]:
        """Entries of the notices about one participant, by key then channel."""
        entries = [
            e
            for e in self._tx.view("notices", "").values()
            if isinstance(e, LedgerEntry)
            and e.programme_id == programme_id
            and is_about(e.key, programme_id, participant_ref)
        ]
        return sorted(entries, key=lambda e: (e.key, e.channel))

    def forget(self, programme_id: str, participant_ref: str) -> int:
        """Remove the entries of the notices about one participant; how many there were."""
        entries = self.about(programme_id, participant_ref)
        for entry in entries:
            self._tx.put("notices", "", entry.notice_id, None)
        return len(entries)


class MemoryUnitOfWork:
    """A transaction over the in-memory store: changes are published on commit."""

    def __init__(self, store: _Store, batch_size: int) -> None:
        self._tx = _Transaction(store)
        self.programmes = _Programmes(self._tx)
        self.journeys = _Journeys(self._tx, batch_size)
        self.cohorts = _Cohorts(self._tx)
        self.personal = _Personal(self._tx)
        self.notices = _Notices(self._tx)
        self.audit = MemoryAuditJournal(self._tx)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        self._tx.rollback()

    def commit(self) -> None:
        """Make everything done in this unit of work visible to later ones."""
        self._tx.commit()

    def rollback(self) -> None:
        """Forget everything done since the last commit."""
        self._tx.rollback()


class MemoryStorage:
    """A private in-memory store; gone when the object is."""

    def __init__(self, url: str = "memory://", *, batch_size: int = 1000) -> None:
        if not url.startswith("memory://"):
            raise StorageError(f"{url}: not a memory:// URL")
        self._url = url
        self._batch_size = batch_size
        self._store = _Store()

    @property
    def url(self) -> str:
        """The URL it was opened with."""
        return self._url

    def initialise(self) -> None:
        """Nothing to create: the store is ready from the start."""

    def unit_of_work(self, *, read_only: bool = False) -> MemoryUnitOfWork:
        """A new unit of work; ``read_only`` is accepted for parity with SQL and changes nothing."""
        return MemoryUnitOfWork(self._store, self._batch_size)

    def close(self) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return f"MemoryStorage({self._url!r})"
