"""Rows stored from the journeys in memory equal the rows derived from the stored data.

docs/architecture.md, Stored facts: the journey repository writes each batch's
stored facts and check-ins from the journeys it has in memory; a programme
change or a migration derives them from the stored exits and contacts
instead. Both must give the same rows, column for column, whatever the
journeys (dates on every edge of the rules) and the batch size.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql.stored_checkins import store_programme_checkins
from insertion_core.default_plugins.sql.stored_facts import store_programme_facts
from insertion_core.default_plugins.sql.tables import metadata
from insertion_core.domain import Programme

from ..strategies import programmes
from .pushdown_strategies import tricky_populations
from .pushdown_support import sql_database, stored

__all__ = ["sql_database"]

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FACTS = metadata.tables["participant_facts"]
CHECKINS = metadata.tables["participant_checkins"]


def rows_of(session: Session, table: Any) -> list[dict[str, Any]]:
    """Every row of the table, in key order."""
    keys = list(table.primary_key.columns)
    return [dict(row) for row in session.execute(select(table).order_by(*keys)).mappings()]


def derived_again(session: Session, programme: Programme) -> tuple[list[Any], list[Any]]:
    """The programme's stored facts and check-ins once rewritten from the stored data."""
    store_programme_facts(session, programme)
    store_programme_checkins(session, programme)
    return rows_of(session, FACTS), rows_of(session, CHECKINS)


@SETTINGS
@given(st.data())
def test_rows_written_from_journeys_equal_rows_derived_from_the_database(
    sql_database: SqlStorage, data: st.DataObject
) -> None:
    programme = data.draw(programmes(), label="programme")
    journeys = data.draw(tricky_populations(programme), label="journeys")
    batch_size = data.draw(st.sampled_from([1, 4, 1000]), label="batch_size")
    with (
        stored(sql_database, programme, journeys, batch_size) as storage,
        storage.unit_of_work() as uow,
    ):
        written = rows_of(uow.session, FACTS), rows_of(uow.session, CHECKINS)
        assert len(written[0]) == len(journeys)
        assert derived_again(uow.session, programme) == written
