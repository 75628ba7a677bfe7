"""Schema migrations run from code: an alembic configuration built here, no alembic.ini."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from .tables import metadata

__all__ = [
    "alembic_config",
    "current_revision",
    "downgrade",
    "head_revision",
    "schema_differences",
    "schema_problem",
    "upgrade",
]

#: ``insertion_core/migrations``, shipped inside the package.
_LOCATION = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An alembic configuration for the shipped migrations, bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(_LOCATION))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Create the schema, or upgrade it to ``revision``, on ``connection``."""
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    """Take the schema back to ``revision`` (``"base"``: nothing); for tests and recovery."""
    command.downgrade(alembic_config(connection), revision)


def head_revision() -> str | None:
    """The newest revision shipped."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None when it has no schema yet."""
    return MigrationContext.configure(connection).get_current_revision()


def schema_problem(connection: Connection, *, upgrading: bool = False) -> str | None:
    """Why this library cannot use the database's schema, or None when it can.

    A schema newer than the shipped migrations is always a problem (this
    library would misread it, and cannot upgrade it); an older one, or none,
    only when not ``upgrading``.
    """
    current = current_revision(connection)
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current == head:
        return None
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        return (
            f"this database was written by a newer insertion-core (schema {current}); "
            f"this library knows up to {head}: upgrade insertion-core"
        )
    if upgrading:
        return None
    if current is None:
        return "the database has no schema yet: run `insertion init`"
    return (
        f"the database schema ({current}) is older than this insertion-core's ({head}): "
        "run `insertion init` to upgrade it"
    )


def schema_differences(connection: Connection, models: MetaData = metadata) -> list[Any]:
    """What alembic autogenerate finds between ``models`` and the database; [] when they agree."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, models))
