"""The SQL storage: SQLite or PostgreSQL through SQLAlchemy, schema by alembic.

Before its first unit of work a storage checks the schema's revision: a
database written by a newer insertion-core, or one not initialised or
upgraded yet, is refused with a message saying what to do.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import URL, Engine, make_url
from sqlalchemy.engine import Connection

from ...errors import StorageError
from .engine import (
    READ_ONLY,
    creating_database,
    database_file,
    open_engine,
    parse_sql_url,
    public_url,
)
from .migrate import schema_problem, upgrade
from .repositories import DEFAULT_BATCH_SIZE
from .shredding import shred_sqlite
from .unit_of_work import SqlUnitOfWork

__all__ = ["SqlStorage"]


class SqlStorage:
    """A storage in a SQL database: ``sqlite:///file.db`` or ``postgresql://...``.

    Open one with :meth:`open` (what ``get_storage`` does), or with
    :meth:`on_connection` to re-use one connection and its transaction in
    tests. The schema is created or upgraded by :meth:`initialise`.
    """

    def __init__(
        self,
        bind: Engine | Connection,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        owns_engine: bool = True,
        display_url: str | None = None,
    ) -> None:
        self._bind = bind
        self._batch_size = batch_size
        self._owns_engine = owns_engine and isinstance(bind, Engine)
        engine = bind if isinstance(bind, Engine) else bind.engine
        self._url = display_url or public_url(engine.url)
        self._schema_checked = False

    @classmethod
    def open(
        cls, url: str | URL, *, batch_size: int = DEFAULT_BATCH_SIZE, **engine_options: Any
    ) -> SqlStorage:
        """The storage a ``sqlite:`` or ``postgresql:`` URL names (``postgresql:`` uses psycopg).

        Nothing is connected until the storage is used. ``engine_options`` go to
        :func:`sqlalchemy.create_engine`, except ``busy_timeout_ms``: how long a
        SQLite writer waits for another (default 10 s).

        :raises StorageError: the URL is not for SQL, or its driver is missing.
        """
        parsed = parse_sql_url(url) if isinstance(url, str) else url
        if parsed is None:
            raise StorageError(f"{url}: not a sqlite: or postgresql: URL")
        shown = public_url(make_url(url)) if isinstance(url, str) else public_url(url)
        engine = open_engine(parsed, shown_as=shown, **engine_options)
        return cls(engine, batch_size=batch_size, display_url=shown)

    @classmethod
    def on_connection(
        cls, connection: Connection, *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> SqlStorage:
        """A storage whose units of work run as savepoints on ``connection``.

        For tests: begin a transaction on the connection, initialise once, and
        roll the transaction back at the end; commits inside become savepoints.
        """
        return cls(connection, batch_size=batch_size, owns_engine=False)

    @property
    def url(self) -> str:
        """Where the data lives, with any password hidden."""
        return self._url

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for pushed-down queries and tools)."""
        return self._bind if isinstance(self._bind, Engine) else self._bind.engine

    def initialise(self) -> None:
        """Create the schema (and a SQLite file, owner-only), or upgrade it to the current version.

        :raises StorageError: the database was written by a newer insertion-core.
        """
        with creating_database():
            if isinstance(self._bind, Connection):
                self._upgrade(self._bind)
            else:
                with self._bind.begin() as connection:
                    self._upgrade(connection)
        self._schema_checked = True

    def _upgrade(self, connection: Connection) -> None:
        problem = schema_problem(connection, upgrading=True)
        if problem is not None:
            raise StorageError(f"{self._url}: {problem}")
        upgrade(connection)

    def is_current(self) -> bool:
        """True when the schema is at the newest shipped revision."""
        missing = database_file(self.engine.url)
        if missing is not None and not missing.exists():
            return False
        return self._schema_problem() is None

    def _schema_problem(self) -> str | None:
        reader = self._reader()
        if isinstance(reader, Connection):
            return schema_problem(reader)
        with reader.connect() as connection:
            return schema_problem(connection)

    def _reader(self) -> Engine | Connection:
        """The bind for reading: a deferred ``BEGIN`` on SQLite, read only on PostgreSQL."""
        bind = self._bind
        if not isinstance(bind, Engine):
            return bind
        if bind.dialect.name == "postgresql":
            return bind.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        return bind.execution_options(**{READ_ONLY: True})

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """A new unit of work; use it in a ``with`` block.

        :param read_only: read without waiting for writers: on SQLite a plain
            (deferred) ``BEGIN`` rather than ``BEGIN IMMEDIATE``, which in WAL
            mode never waits; on PostgreSQL a ``REPEATABLE READ, READ ONLY``
            transaction, one consistent snapshot. Writing from it fails.
        :raises StorageError: the schema is newer than this library, or not
            initialised or upgraded yet; the SQLite file does not exist.
        """
        if not self._schema_checked:
            problem = self._schema_problem()
            if problem is not None:
                raise StorageError(f"{self._url}: {problem}")
            self._schema_checked = True
        return SqlUnitOfWork(self._reader() if read_only else self._bind, self._batch_size)

    def shred_erased(self) -> bool:
        """Leave no copy of what committed deletions removed (the ``ShredsErased`` capability).

        SQLite: ``VACUUM`` and an emptied ``-wal`` file (:mod:`.shredding`); False
        when another connection kept it from running, or when this storage runs
        inside a caller's transaction (:meth:`on_connection`), where neither can.
        PostgreSQL keeps deleted rows in its files until ``VACUUM`` reuses the
        space, which only the deployment can arrange (docs/personal-data.md):
        nothing to do from here, and True.
        """
        if self.engine.dialect.name != "sqlite":
            return True
        if not isinstance(self._bind, Engine):
            return False
        return shred_sqlite(self._bind)

    def close(self) -> None:
        """Release connections (the engine's pool, when this storage opened it)."""
        if self._owns_engine and isinstance(self._bind, Engine):
            self._bind.dispose()

    def __repr__(self) -> str:
        return f"SqlStorage({self._url!r})"
