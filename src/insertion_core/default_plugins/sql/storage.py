"""The SQL storage: SQLite or PostgreSQL through SQLAlchemy, schema by alembic."""

from __future__ import annotations

from typing import Any

from sqlalchemy import URL, Engine, make_url
from sqlalchemy.engine import Connection

from ...errors import StorageError
from .engine import READ_ONLY, open_engine, parse_sql_url, public_url
from .migrate import current_revision, head_revision, upgrade
from .repositories import DEFAULT_BATCH_SIZE
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
        """Create the schema, or upgrade it to the current version."""
        if isinstance(self._bind, Connection):
            upgrade(self._bind)
            return
        with self._bind.begin() as connection:
            upgrade(connection)

    def is_current(self) -> bool:
        """True when the schema is at the newest shipped revision."""
        if isinstance(self._bind, Connection):
            return current_revision(self._bind) == head_revision()
        with self._bind.connect() as connection:
            return current_revision(connection) == head_revision()

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """A new unit of work; use it in a ``with`` block.

        :param read_only: on SQLite, begin with a plain ``BEGIN`` rather than
            ``BEGIN IMMEDIATE``, so reports do not queue behind writers. Writing
            from such a unit of work may then fail with "database is locked".
        """
        bind = self._bind
        if read_only and isinstance(bind, Engine):
            bind = bind.execution_options(**{READ_ONLY: True})
        return SqlUnitOfWork(bind, self._batch_size)

    def close(self) -> None:
        """Release connections (the engine's pool, when this storage opened it)."""
        if self._owns_engine and isinstance(self._bind, Engine):
            self._bind.dispose()

    def __repr__(self) -> str:
        return f"SqlStorage({self._url!r})"
