"""Built-in SQL storage plugin: SQLite by default, PostgreSQL by URL.

``get_storage`` claims ``sqlite:``, ``postgresql:`` and ``postgresql+psycopg:``
URLs (``trylast``, so a site plugin may claim them first) and answers None for
anything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...hookspecs import hookimpl
from ...lazy import lazy_exports

if TYPE_CHECKING:
    from .cohorts import SqlCohortRepository
    from .migrate import schema_differences, upgrade
    from .personal_data import SqlPersonalDataRepository
    from .programmes import SqlProgrammeRepository
    from .repositories import DEFAULT_BATCH_SIZE, SqlJourneyRepository
    from .storage import SqlStorage
    from .tables import PERSONAL_TABLES
    from .unit_of_work import SqlUnitOfWork

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "PERSONAL_TABLES",
    "SqlCohortRepository",
    "SqlJourneyRepository",
    "SqlPersonalDataRepository",
    "SqlProgrammeRepository",
    "SqlStorage",
    "SqlUnitOfWork",
    "get_storage",
    "schema_differences",
    "upgrade",
]

# SQLAlchemy and alembic load when a name is used or a SQL URL is opened, not
# when the plugin is registered (every ``insertion`` command registers it).
__getattr__ = lazy_exports(
    __name__,
    {
        ".cohorts": ("SqlCohortRepository",),
        ".migrate": ("schema_differences", "upgrade"),
        ".personal_data": ("SqlPersonalDataRepository",),
        ".programmes": ("SqlProgrammeRepository",),
        ".repositories": ("DEFAULT_BATCH_SIZE", "SqlJourneyRepository"),
        ".storage": ("SqlStorage",),
        ".tables": ("PERSONAL_TABLES",),
        ".unit_of_work": ("SqlUnitOfWork",),
    },
)


@hookimpl(trylast=True)
def get_storage(url: str) -> SqlStorage | None:
    """The SQL storage for a ``sqlite:`` or ``postgresql:`` URL, or None."""
    from .engine import is_sql_url
    from .storage import SqlStorage

    if not is_sql_url(url):
        return None
    return SqlStorage.open(url)
