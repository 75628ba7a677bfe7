"""SQL date arithmetic equals the calendar module's, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, literal, select

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql.dates import SqlDates
from insertion_core.domain.calendar import add_months

from .pushdown_support import sql_database

__all__ = ["sql_database"]

MONTH_ENDS = [
    dt.date(2024, 1, 31),
    dt.date(2024, 2, 29),
    dt.date(2023, 2, 28),
    dt.date(2024, 8, 31),
    dt.date(2023, 8, 31),
    dt.date(2024, 12, 31),
    dt.date(2024, 10, 30),
]


def computed(database: SqlStorage, day: dt.date, months: int, days: int) -> tuple[object, ...]:
    dates = SqlDates(database.engine.dialect.name)
    value = literal(day, Date)
    query = select(
        dates.add_months(value, months),
        dates.add_days(value, days),
        dates.days_between(literal(day + dt.timedelta(days=days), Date), value),
    )
    with database.engine.connect() as connection:
        return tuple(connection.execute(query).one())


@pytest.mark.parametrize("day", MONTH_ENDS)
def test_month_ends_are_clamped(sql_database: SqlStorage, day: dt.date) -> None:
    for months in range(0, 25):
        expected = (add_months(day, months), day - dt.timedelta(days=45), -45)
        assert computed(sql_database, day, months, -45) == expected


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)),
    months=st.integers(0, 60),
    days=st.integers(-400, 400),
)
def test_dates_agree_with_python(
    sql_database: SqlStorage, day: dt.date, months: int, days: int
) -> None:
    expected = (add_months(day, months), day + dt.timedelta(days=days), days)
    assert computed(sql_database, day, months, days) == expected


def test_other_dialects_are_refused() -> None:
    with pytest.raises(ValueError, match="no date arithmetic for SQL dialect 'mysql'"):
        SqlDates("mysql")
