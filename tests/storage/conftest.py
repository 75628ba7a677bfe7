"""Backends for the storage contract suite: memory, SQLite in tmp_path, PostgreSQL.

PostgreSQL runs when INSERTION_TEST_POSTGRESQL_URL is set (``tests/with-postgresql.sh``
sets it); each test gets a schema of its own, dropped afterwards. Without the
variable the PostgreSQL tests skip with a reason, and fail when CI is "true".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url

from insertion_core.default_plugins.memory import MemoryStorage
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.testing import postgresql_test_url

TOML = """
[programme]
id = "{id}"
name = "Programme {id}"

[[phases]]
id = "accueil"
name = "Accueil"

[[phases]]
id = "formation"
name = "Formation"

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]
"""

Opener = Callable[..., Any]


def postgresql_base_url() -> URL:
    """The server's URL, or skip (fail under CI) when there is none."""
    return make_url(postgresql_test_url())


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An engine on the test server, for creating and dropping schemas."""
    engine = create_engine(postgresql_base_url(), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[URL]:
    """The URL of a fresh, empty schema (first on the search path), dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with pg_admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    yield pg_admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
    with pg_admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


BACKENDS = ["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(params=BACKENDS)
def open_storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens an initialised storage of the backend; ``open_storage(batch_size=2)``.

    Every storage opened in one test shares that test's data: the same SQL
    database, or the same memory store.
    """
    opened: list[Any] = []
    memory: list[MemoryStorage] = []
    backend = request.param
    url: URL | str
    if backend == "postgresql":
        url = request.getfixturevalue("pg_url")
    elif backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'insertion.db'}"
    else:
        url = "memory://"

    def opener(batch_size: int = 1000) -> Any:
        storage: Any
        if backend == "memory":
            if not memory:  # later opens share the first one's store and batch size
                memory.append(MemoryStorage(batch_size=batch_size))
            storage = memory[0]
        else:
            storage = SqlStorage.open(url, batch_size=batch_size)
        storage.initialise()
        opened.append(storage)
        return storage

    yield opener
    for storage in opened:
        storage.close()


@pytest.fixture
def storage(open_storage: Opener) -> Any:
    """An initialised storage of each backend."""
    return open_storage()


def programme_toml(programme_id: str) -> str:
    """Programme TOML text with this id."""
    return TOML.format(id=programme_id)
