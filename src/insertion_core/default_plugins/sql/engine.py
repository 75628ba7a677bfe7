"""Engines for the URLs the SQL storage accepts, with SQLite set up properly.

SQLite connections get foreign keys, a busy timeout, WAL for files,
``secure_delete`` (deleted values are overwritten with zeros, not left in free
space: docs/personal-data.md), and transactions that SQLAlchemy begins itself: pysqlite's legacy handling starts
transactions late and commits before DDL, which breaks savepoints and
``BEGIN IMMEDIATE`` (SQLAlchemy's SQLite dialect docs, "Serializable
isolation / Savepoints / Transactional DDL"). A writing unit of work starts
with ``BEGIN IMMEDIATE``, so two writers queue on the busy timeout instead of
failing halfway; a read-only one starts with a plain ``BEGIN``, which in WAL
mode never waits for a writer. A SQLite file is created only inside
:func:`creating_database` (what ``initialise`` uses), readable by its owner
only; anywhere else a missing file is an error, not a new empty database.
Database errors reach callers as :class:`~insertion_core.errors.StorageError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, exc, make_url
from sqlalchemy.engine import Connection, ExceptionContext

from ...errors import StorageBusyError, StorageError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "READ_ONLY",
    "creating_database",
    "database_file",
    "is_sql_url",
    "open_engine",
    "parse_sql_url",
    "public_url",
]

#: How long a SQLite writer waits for another one before giving up.
BUSY_TIMEOUT_MS = 10_000

#: Execution option: begin SQLite transactions with a plain (deferred) ``BEGIN``.
READ_ONLY = "insertion_read_only"

#: Set while :func:`creating_database` runs: a missing SQLite file may then be created.
_CREATING: ContextVar[bool] = ContextVar("insertion_creating_database", default=False)

_DRIVERS = {
    "sqlite": "sqlite+pysqlite",
    "sqlite+pysqlite": "sqlite+pysqlite",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def parse_sql_url(url: str) -> URL | None:
    """The URL with its driver made explicit, or None when it is not for this storage."""
    scheme = url.partition(":")[0].lower()
    if scheme not in _DRIVERS:
        return None
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise StorageError(f"not a valid database URL: {error}") from None
    return parsed.set(drivername=_DRIVERS[scheme])


def is_sql_url(url: str) -> bool:
    """True for ``sqlite:``, ``postgresql:`` and ``postgresql+psycopg:`` URLs."""
    return url.partition(":")[0].lower() in _DRIVERS


def public_url(url: URL) -> str:
    """The URL as text with its password hidden."""
    return url.render_as_string(hide_password=True)


def open_engine(
    url: URL,
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    shown_as: str | None = None,
    **options: Any,
) -> Engine:
    """An engine for ``url``; clear :class:`StorageError` when a driver is missing.

    :param busy_timeout_ms: on SQLite, how long a writer waits for another.
    :param shown_as: the URL as the user wrote it, password hidden, for messages.
    """
    where = shown_as or public_url(url)
    try:
        engine = create_engine(url, **options)
    except ImportError as error:
        raise StorageError(
            f"{where}: the PostgreSQL driver is not installed ({error}); "
            "install it with: pip install 'insertion-core[postgresql]'"
        ) from None
    if engine.dialect.name == "sqlite":
        _set_up_sqlite(engine, busy_timeout_ms)
    elif engine.dialect.name == "postgresql":
        _plan_every_statement(engine)
    _translate_errors(engine, where)
    return engine


@contextmanager
def creating_database() -> Iterator[None]:
    """Let connections opened inside create a missing SQLite file, readable by its owner only.

    The umask covers the ``-wal`` and ``-shm`` files SQLite creates beside it
    too (SQLite gives them the database file's mode in any case).
    """
    token = _CREATING.set(True)
    mask = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(mask)
        _CREATING.reset(token)


def _plan_every_statement(engine: Engine) -> None:
    """Turn off psycopg's server-side prepared statements on PostgreSQL connections.

    After five runs of one statement psycopg prepares it, and PostgreSQL may
    then keep a generic plan, made without the values. For the batch writers'
    ``participant_id IN (...)`` of 5,000 values, on a table whose statistics
    lag behind a long import, that plan scans the whole programme and compares
    every row with each of the 5,000 parameters in turn: about a minute per
    batch at a million participants. Planned with its values, the same
    statement hashes the list and takes a tenth of a second
    (docs/performance.md).
    """

    @event.listens_for(engine, "connect")
    def _no_prepare(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.prepare_threshold = None


def _is_file_database(url: URL) -> bool:
    database = url.database or ""
    return bool(database) and database != ":memory:" and not database.startswith("file::memory:")


def database_file(url: URL) -> Path | None:
    """The SQLite file a URL names, when it must exist before use; else None.

    None for PostgreSQL, in-memory SQLite, and URI filenames (``?uri=true``),
    which say themselves whether the file may be created.
    """
    if url.get_backend_name() != "sqlite" or not _is_file_database(url):
        return None
    if url.query.get("uri") in ("true", "1"):
        return None
    return Path(url.database or "")


def _set_up_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    wal = _is_file_database(engine.url)
    required = database_file(engine.url)

    @event.listens_for(engine, "do_connect")
    def on_do_connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> None:
        if required is not None and not _CREATING.get() and not required.exists():
            raise StorageError(f"no database at {required}: run `insertion init` first")

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy emits BEGIN itself (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA secure_delete = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


_NO_SCHEMA = ("no such table", "undefinedtable", "does not exist")
#: SQLITE_BUSY and SQLITE_LOCKED (primary codes); PostgreSQL serialization
#: failure, deadlock and lock not available: worth retrying the transaction.
_BUSY_SQLITE_CODES = (5, 6)
_BUSY_SQLSTATES = ("40001", "40P01", "55P03")


def _is_busy(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _BUSY_SQLITE_CODES:
        return True
    return getattr(error, "sqlstate", None) in _BUSY_SQLSTATES


def _translate_errors(engine: Engine, where: str) -> None:
    @event.listens_for(engine, "handle_error")
    def on_error(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return
        original = context.original_exception
        text = str(original).strip().splitlines()[0] if str(original).strip() else ""
        if context.connection is None:
            raise StorageError(f"{where}: cannot connect to the database: {text}") from original
        hint = ""
        described = f"{type(original).__name__} {text}".lower()
        if any(marker in described for marker in _NO_SCHEMA):
            hint = " (is the database initialised? run: insertion init)"
        kind = StorageBusyError if _is_busy(original) else StorageError
        raise kind(f"{where}: database error: {text}{hint}") from original
