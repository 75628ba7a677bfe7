"""PostgreSQL plans every statement with its values: no generic plan for the batch writers.

A generic plan of ``participant_id IN (...)`` with 5,000 parameters compares
each row with every parameter in turn; see ``engine._plan_every_statement``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import URL, create_engine, text

from insertion_core.default_plugins.sql.engine import open_engine

pytestmark = pytest.mark.postgresql


def test_a_statement_run_many_times_is_never_prepared_on_the_server(pg_url: URL) -> None:
    engine = open_engine(pg_url)
    try:
        with engine.connect() as connection:
            for value in range(10):  # psycopg would prepare it after five runs
                connection.execute(text("SELECT :value + 1"), {"value": value}).scalar_one()
            prepared = connection.execute(text("SELECT count(*) FROM pg_prepared_statements"))
            assert prepared.scalar_one() == 0
    finally:
        engine.dispose()


def test_without_the_setting_psycopg_would_prepare_it(pg_url: URL) -> None:
    """The check above can fail: a plain engine's connection does prepare the statement."""
    engine = create_engine(pg_url)
    try:
        with engine.connect() as connection:
            for value in range(10):
                connection.execute(text("SELECT :value + 1"), {"value": value}).scalar_one()
            prepared = connection.execute(text("SELECT count(*) FROM pg_prepared_statements"))
            assert prepared.scalar_one() >= 1
    finally:
        engine.dispose()
