"""Parsed rows and pending events kept on disk during an import, not in memory.

An import parses each file as a stream and stages every good row here, in a
private temporary SQLite database (deleted when closed), with the
participant it names. Planning then takes the participants in id order, a
batch at a time, with every row of theirs from every file: memory holds one
batch, whatever the size of the files. The events of the written batches
wait here too until the import's transaction commits.

Rows and events are stored as flat tuples (:mod:`.compact`): they are the
importer's own values, written and read back by the same process.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence

from ..domain.events import Event
from .compact import decode, decode_events, encode, encode_events
from .records import Record

__all__ = ["Staging"]

_FLUSH = 10_000  # rows buffered before one executemany
#: Events kept in memory (a few MiB) before they go to disk with those kept later.
_EVENTS_IN_MEMORY = 50_000
#: Events written to disk as one record (one marshal call, one row).
_EVENTS_PER_RECORD = 1_000


class Staging:
    """A temporary store of staged rows by (participant, file, line), and of events."""

    def __init__(self) -> None:
        # An empty name is SQLite's private temporary database: on disk past its
        # page cache, deleted when the connection closes. The cache (2 MiB) and
        # the sorts of its index and queries (on disk) are set here, not left to
        # how SQLite was built, so the import's memory does not grow with the files.
        self._db = sqlite3.connect("")
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -2000;
            PRAGMA temp_store = FILE;
            CREATE TABLE row (pid TEXT, file INTEGER, line INTEGER, key TEXT, record BLOB);
            CREATE TABLE event (record BLOB);
            """
        )
        self._pending: list[tuple[str | None, int, int, str | None, bytes]] = []
        self._indexed = False
        self._events: list[Event] = []
        self.count = 0

    def add(self, file: int, pid: str | None, line: int, key: str | None, record: Record) -> None:
        """Stage one good row of the ``file``-th file.

        ``pid`` is None for a row naming nobody (a cohort); ``key`` is what must
        not repeat within the file (see :meth:`repeated`), None when rows may.
        """
        self._pending.append((pid, file, line, key, encode(record)))
        self.count += 1
        if len(self._pending) >= _FLUSH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._db.executemany("INSERT INTO row VALUES (?, ?, ?, ?, ?)", self._pending)
            self._pending.clear()

    def repeated(self, file: int) -> Iterator[list[tuple[int, Record]]]:
        """The ``file``-th file's rows that share a key with another, by key, each by line.

        Each row comes with its staging id, for :meth:`drop`. Finding repeats here
        rather than in a dict of every key keeps the memory of a large file flat.
        """
        self._flush()
        found = self._db.execute(
            "SELECT rowid, key, record FROM row WHERE file = ? AND key IN "
            "(SELECT key FROM row WHERE file = ? AND key IS NOT NULL "
            "GROUP BY key HAVING count(*) > 1) ORDER BY key, line",
            (file, file),
        )
        for _, group in itertools.groupby(found, key=lambda row: row[1]):
            yield [(rowid, decode(blob)) for rowid, _, blob in group]

    def drop(self, rowids: Sequence[int]) -> None:
        """Remove staged rows (repeats left out of the import), once :meth:`repeated` is read."""
        self._db.executemany("DELETE FROM row WHERE rowid = ?", ((rowid,) for rowid in rowids))

    def _index(self) -> None:
        """Index the rows by participant once every file is staged."""
        self._flush()
        if not self._indexed:
            self._db.execute("CREATE INDEX row_by_pid ON row (pid, file, line)")
            self._indexed = True

    def batches(self, size: int) -> Iterator[tuple[str, str]]:
        """The first and last participant id of each batch of ``size`` ids, in id order."""
        self._index()
        last: str | None = None
        while True:
            query = "SELECT DISTINCT pid FROM row WHERE pid IS NOT NULL"
            params: tuple[object, ...] = ()
            if last is not None:
                query += " AND pid > ?"
                params = (last,)
            ids = [
                pid for (pid,) in self._db.execute(query + " ORDER BY pid LIMIT ?", (*params, size))
            ]
            if not ids:
                return
            yield ids[0], ids[-1]
            last = ids[-1]

    def rows(self, first: str, last: str) -> dict[int, list[Record]]:
        """The staged rows of participants ``first`` to ``last``, by file, in line order."""
        self._index()
        found: dict[int, list[Record]] = {}
        for file, blob in self._db.execute(
            "SELECT file, record FROM row WHERE pid BETWEEN ? AND ? ORDER BY file, line",
            (first, last),
        ):
            found.setdefault(file, []).append(decode(blob))
        return found

    def unnamed(self) -> dict[int, list[Record]]:
        """The staged rows that name no participant (cohorts), by file, in line order."""
        self._index()
        found: dict[int, list[Record]] = {}
        for file, blob in self._db.execute(
            "SELECT file, record FROM row WHERE pid IS NULL ORDER BY file, line"
        ):
            found.setdefault(file, []).append(decode(blob))
        return found

    def keep_events(self, events: Sequence[Event]) -> None:
        """Keep events until the import commits: in memory while they are few, then on disk."""
        self._events.extend(events)
        if len(self._events) > _EVENTS_IN_MEMORY:
            kept = self._events
            self._db.executemany(
                "INSERT INTO event VALUES (?)",
                (
                    (encode_events(kept[start : start + _EVENTS_PER_RECORD]),)
                    for start in range(0, len(kept), _EVENTS_PER_RECORD)
                ),
            )
            self._events.clear()

    def events(self, size: int) -> Iterator[list[Event]]:
        """The kept events, in the order kept, ``size`` at a time."""
        last = 0
        waiting: list[Event] = []
        while True:
            found = self._db.execute(
                "SELECT rowid, record FROM event WHERE rowid > ? ORDER BY rowid LIMIT 1", (last,)
            ).fetchone()
            if found is None:
                break
            last = found[0]
            waiting.extend(decode_events(found[1]))
            while len(waiting) >= size:
                yield waiting[:size]
                del waiting[:size]
        if waiting:
            yield waiting
        for start in range(0, len(self._events), size):
            yield self._events[start : start + size]

    def close(self) -> None:
        """Drop everything staged (the temporary database is deleted)."""
        self._pending.clear()
        self._events.clear()
        self._db.close()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
