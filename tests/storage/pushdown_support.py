"""SQL databases for property tests: one schema per module, one rolled-back transaction per example.

Hypothesis runs many examples in one test, so the database cannot be a
function-scoped fixture: the schema is created once, and :func:`stored` saves
each example's data in a transaction that it rolls back afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql.tables import metadata
from insertion_core.domain import Journey, Programme

from ..strategies import to_toml

SQL_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(scope="module", params=SQL_BACKENDS)
def sql_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqlStorage]:
    """An initialised SQL storage, SQLite in a file or PostgreSQL in a schema of its own."""
    schema = None
    if request.param == "sqlite":
        url: str | URL = f"sqlite:///{tmp_path_factory.mktemp('pushdown') / 'insertion.db'}"
    else:
        admin: Engine = request.getfixturevalue("pg_admin")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
    storage = SqlStorage.open(url)
    storage.initialise()
    yield storage
    storage.close()
    if schema is not None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def stored(
    database: SqlStorage,
    programme: Programme,
    journeys: Iterable[Journey],
    batch_size: int = 1000,
    source: str | None = None,
) -> Iterator[SqlStorage]:
    """A storage holding the programme (saved with ``source``, else its TOML) and the journeys until the block ends."""
    with database.engine.connect() as connection:
        transaction = connection.begin()
        try:
            storage = SqlStorage.on_connection(connection, batch_size=batch_size)
            with storage.unit_of_work() as uow:
                uow.programmes.save(programme, to_toml(programme) if source is None else source)
                uow.journeys.save_many(programme.id, journeys)
                uow.commit()
            yield storage
        finally:
            transaction.rollback()


def sqlite_plans(path: str, run: Callable[[Session], None]) -> list[str]:
    """The ``EXPLAIN QUERY PLAN`` of each statement ``run`` executes on an empty SQLite schema at ``path``."""
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    statements: list[tuple[str, object]] = []
    event.listen(
        engine,
        "before_cursor_execute",
        lambda _c, _k, sql, params, *_: statements.append((sql, params)),
    )
    with Session(engine) as session:
        run(session)
    queries = list(statements)
    with engine.connect() as connection:
        plans = [
            " ".join(
                str(row[-1])
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
            )
            for sql, params in queries
        ]
    engine.dispose()
    return plans


__all__ = ["SQL_BACKENDS", "sql_database", "sqlite_plans", "stored"]
