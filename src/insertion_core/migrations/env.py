"""Alembic environment: runs on the connection handed over in ``config.attributes``."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from insertion_core.default_plugins.sql.tables import metadata

#: Any fixed number: the PostgreSQL advisory lock that serialises concurrent upgrades.
_UPGRADE_LOCK = 0x1_5E47


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK})")
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError(
        "insertion-core migrations run from code: Storage.initialise() or "
        "insertion_core.default_plugins.sql.migrate.upgrade(connection)"
    )
_run(_connection)
