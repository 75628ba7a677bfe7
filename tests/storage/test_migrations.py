"""The shipped migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect

from insertion_core.default_plugins.sql import SqlStorage, schema_differences
from insertion_core.default_plugins.sql.migrate import current_revision, downgrade, head_revision
from insertion_core.default_plugins.sql.tables import PERSONAL_TABLES, metadata


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStorage]:
    """An SQL storage on an empty database (not initialised)."""
    if request.param == "sqlite":
        storage = SqlStorage.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    else:
        storage = SqlStorage.open(request.getfixturevalue("pg_url"))
    yield storage
    storage.close()


def test_models_and_migrations_agree(fresh: SqlStorage) -> None:
    fresh.initialise()
    with fresh.engine.connect() as connection:
        assert schema_differences(connection) == []
        assert current_revision(connection) == head_revision()
        tables = set(inspect(connection).get_table_names())
    assert set(metadata.tables) | {"alembic_version"} == tables
    assert set(PERSONAL_TABLES) <= tables
    assert fresh.is_current()


def test_the_comparison_sees_a_difference(fresh: SqlStorage) -> None:
    """The agreement check can fail: a model the migrations lack is reported."""
    fresh.initialise()
    models = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(models)
    Table("not_migrated", models, Column("id", Integer, primary_key=True))
    models.tables["cohorts"].append_column(Column("extra", Integer))
    with fresh.engine.connect() as connection:
        kinds = sorted(
            str(d[0]) if isinstance(d, tuple) else "modify"
            for d in schema_differences(connection, models)
        )
    assert kinds == ["add_column", "add_table"]


def test_initialise_is_idempotent_and_downgrade_works(fresh: SqlStorage) -> None:
    assert not fresh.is_current()
    fresh.initialise()
    fresh.initialise()
    with fresh.engine.begin() as connection:
        downgrade(connection, "base")
    with fresh.engine.connect() as connection:
        assert current_revision(connection) is None
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    fresh.initialise()
    assert fresh.is_current()
