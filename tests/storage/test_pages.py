"""Pages of row ids: one bound list on PostgreSQL, the expanded IN on SQLite; no JIT for the pages.

docs/architecture.md, Stored facts. The unsettled participants of a report are
read page by page; how a page is sent must not change which rows it names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql.facts import SqlOutcomeFacts
from insertion_core.default_plugins.sql.pages import among, without_jit
from insertion_core.default_plugins.sql.tables import metadata

from .pushdown_support import sql_database
from .test_stored_facts import AS_OF
from .test_unsettled_facts import _sample_site

__all__ = ["sql_database"]

PARTICIPANTS = metadata.tables["participants"]


def _named(session: Session, page: list[int]) -> list[int]:
    dialect = session.get_bind().dialect.name
    query = select(PARTICIPANTS.c.id).where(among(PARTICIPANTS.c.id, "page", dialect))
    return sorted(session.scalars(query.order_by(PARTICIPANTS.c.id), {"page": page}))


def test_a_page_names_exactly_its_row_ids(sql_database: SqlStorage) -> None:
    with _sample_site(sql_database) as (_, storage), storage.unit_of_work() as uow:
        ids = sorted(uow.session.scalars(select(PARTICIPANTS.c.id)))
        page = [*ids[::3], max(ids) + 1000]  # one row id that names no row
        assert _named(uow.session, page) == ids[::3]
        assert _named(uow.session, []) == []
        assert _named(uow.session, ids) == ids


def test_postgresql_binds_a_page_as_one_array_and_sqlite_as_one_value_per_id() -> None:
    def sent(dialect: Any, name: str) -> Any:
        """The statement and parameters the driver receives for a page of three row ids."""
        query = select(PARTICIPANTS.c.id).where(among(PARTICIPANTS.c.id, "page", name))
        return query.compile(dialect=dialect).construct_expanded_state({"page": [1, 2, 3]})

    pg = sent(postgresql.psycopg.dialect(), "postgresql")
    assert "= ANY (" in pg.statement
    assert dict(pg.parameters) == {"page": [1, 2, 3]}
    lite = sent(sqlite.dialect(), "sqlite")
    assert "IN (" in lite.statement
    assert len(lite.parameters) == 3


def _jit(session: Session) -> str:
    return str(session.execute(text("SELECT current_setting('jit')")).scalar_one())


def test_postgresql_runs_the_pages_without_jit_and_restores_it(sql_database: SqlStorage) -> None:
    with _sample_site(sql_database) as (programme, storage), storage.unit_of_work() as uow:
        session = uow.session
        if session.get_bind().dialect.name != "postgresql":
            with without_jit(session):  # nothing to set: SQLite compiles no plan to machine code
                assert session.execute(select(text("1"))).scalar_one() == 1
            return
        session.execute(text("SELECT set_config('jit', 'on', true)"))
        seen: list[str] = []
        facts = SqlOutcomeFacts(session, 5)
        refs = facts._unsettled_refs(programme, AS_OF)
        assert refs is not None and len(refs) > 5, "several pages of unsettled participants"
        for _ in facts._unsettled(programme, AS_OF, refs):
            seen.append(_jit(session))
        assert seen and set(seen) == {"off"}
        assert _jit(session) == "on"


def test_a_page_names_row_ids_beyond_32_bits(sql_database: SqlStorage) -> None:
    big = 2**40 + 7
    row = select(literal(big, BigInteger).label("v")).subquery()
    with sql_database.unit_of_work() as uow:
        dialect = uow.session.get_bind().dialect.name
        query = select(row.c.v).where(among(row.c.v, "page", dialect))
        assert uow.session.scalars(query, {"page": [1, big]}).all() == [big]
        assert uow.session.scalars(query, {"page": [big + 1]}).all() == []
