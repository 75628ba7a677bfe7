"""Schema migrations run from code: an alembic configuration built here, no alembic.ini.

alembic is imported only when a migration runs or the revision in the database
is not the newest shipped: a command that only reads checks the revision with
one query (:func:`schema_problem`) and starts without alembic's import time.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection

from .tables import metadata

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "alembic_config",
    "current_revision",
    "downgrade",
    "head_revision",
    "schema_differences",
    "schema_problem",
    "shipped_head",
    "upgrade",
]

#: ``insertion_core/migrations``, shipped inside the package.
_LOCATION = Path(__file__).resolve().parents[2] / "migrations"
#: ``revision = "0005"`` and ``down_revision = "0004"`` (or ``None``) in a migration file.
_REVISION = re.compile(r'^(down_revision|revision)\b[^=\n]*=\s*(None|"([^"\n]+)")\s*$', re.M)


def alembic_config(connection: Connection | None = None) -> Config:
    """An alembic configuration for the shipped migrations, bound to ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_LOCATION))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Create the schema, or upgrade it to ``revision``, on ``connection``."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    """Take the schema back to ``revision`` (``"base"``: nothing); for tests and recovery."""
    from alembic import command

    command.downgrade(alembic_config(connection), revision)


def head_revision() -> str | None:
    """The newest revision shipped, as alembic reads the migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None when it has no schema yet."""
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def schema_problem(connection: Connection, *, upgrading: bool = False) -> str | None:
    """Why this library cannot use the database's schema, or None when it can.

    A schema newer than the shipped migrations is always a problem (this
    library would misread it, and cannot upgrade it); an older one, or none,
    only when not ``upgrading``.
    """
    newest = shipped_head()
    if not upgrading and newest is not None and _stamped(connection) == newest:
        return None
    from alembic.script import ScriptDirectory

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
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, models))


@functools.cache
def shipped_head() -> str | None:
    """The newest revision shipped, read from the migration files without alembic.

    The one revision no other names as its ``down_revision``; None when the
    files say something else (a merge, several heads), and alembic decides.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_LOCATION / "versions").glob("*.py"):
        for name, _, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            if value:
                (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stamped(connection: Connection) -> str | None:
    """The one revision recorded in ``alembic_version``, or None (no table, none, several)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return found[0] if len(found) == 1 else None
