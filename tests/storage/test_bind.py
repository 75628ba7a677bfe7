"""The bulk write path binds every value as the column type's own bind processor would.

:func:`insertion_core.default_plugins.sql.bind.bound_rows` converts column by
column and, on SQLite, writes dates and flags without calling the processor;
the value the driver gets must still be the processor's, for every column of
every table, whatever the value (a date before year 1000, a datetime given
for a date, None).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Boolean, Date, Dialect, Integer, Table
from sqlalchemy.dialects import postgresql, sqlite

from insertion_core.default_plugins.sql.bind import bound_rows
from insertion_core.default_plugins.sql.repositories import _CHILD_TABLES
from insertion_core.default_plugins.sql.tables import Months, metadata

DIALECTS = [sqlite.dialect(), postgresql.dialect()]  # type: ignore[no-untyped-call]


def by_processor(
    table: Table, columns: list[str], row: dict[str, Any], dialect: Dialect
) -> tuple[Any, ...]:
    """What Core binds: each value through its column type's processor, None left as it is."""
    found = []
    for name in columns:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        value = row[name]
        found.append(value if process is None or value is None else process(value))
    return tuple(found)


def value_for(kind: Any) -> st.SearchStrategy[Any]:
    """Values a column of this type may be given on the write path, None included."""
    if isinstance(kind, Date):  # a datetime given for a date: the processor keeps its day
        return st.none() | st.dates() | st.datetimes()
    if isinstance(kind, Boolean):
        return st.none() | st.booleans()
    if isinstance(kind, Months):
        return st.none() | st.decimals(0, 99, places=1)
    if isinstance(kind, Integer):
        return st.none() | st.integers(-(2**31), 2**31)
    return st.none() | st.text(max_size=5)


#: The tables the journey repository writes in bulk.
TABLES = [
    "participants",
    *(t.name for t in _CHILD_TABLES),
    "participant_checkins",
    "participant_facts",
]


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@pytest.mark.parametrize("name", TABLES)
@given(data=st.data())
def test_every_column_is_bound_as_its_processor_binds_it(
    dialect: Dialect, name: str, data: st.DataObject
) -> None:
    table = metadata.tables[name]
    columns = [c.name for c in table.c]
    rows = data.draw(
        st.lists(
            st.fixed_dictionaries({c: value_for(table.c[c].type) for c in columns}),
            min_size=1,
            max_size=4,
        )
    )
    assert bound_rows(table, columns, rows, dialect) == [
        by_processor(table, columns, row, dialect) for row in rows
    ]


def test_sqlite_dates_and_flags_are_written_without_the_processor_and_as_it_would() -> None:
    table = metadata.tables["participant_facts"]
    columns = ["settled_on", "exit_date", "responded", "qpv"]
    rows: list[dict[str, Any]] = [
        {"settled_on": dt.date(5, 1, 9), "exit_date": None, "responded": True, "qpv": None},
        {
            "settled_on": dt.datetime(2024, 2, 29, 13, 5),
            "exit_date": dt.date(2024, 3, 1),
            "responded": False,
            "qpv": True,
        },
    ]
    dialect = sqlite.dialect()
    assert bound_rows(table, columns, rows, dialect) == [
        ("0005-01-09", None, True, None),
        ("2024-02-29", "2024-03-01", False, True),
    ]
    assert [by_processor(table, columns, row, dialect) for row in rows] == [
        ("0005-01-09", None, 1, None),
        ("2024-02-29", "2024-03-01", 0, 1),
    ]
    with closing(
        sqlite3.connect(":memory:")
    ) as driver:  # a flag is stored as the processor's integer
        stored = driver.execute("SELECT ?, typeof(?), ?, typeof(?)", (True, True, 1, 1)).fetchone()
    assert stored == (1, "integer", 1, "integer")


def test_one_column_gives_one_value_tuples() -> None:
    table = metadata.tables["participant_checkins"]
    dialect = sqlite.dialect()
    assert bound_rows(table, ["position"], [{"position": 2}], dialect) == [(2,)]


#: A few days and times, so that a column's values repeat as a batch's do.
_FEW_DAYS = st.lists(st.dates(), min_size=1, max_size=3).flatmap(st.sampled_from)
_FEW_TIMES = st.lists(st.datetimes(), min_size=1, max_size=2).flatmap(st.sampled_from)


@given(
    st.lists(st.none() | _FEW_DAYS, min_size=1, max_size=40),
    st.lists(st.none() | _FEW_DAYS | _FEW_TIMES, min_size=1, max_size=40),
)
def test_sqlite_dates_that_repeat_are_bound_as_the_processor_binds_each(
    days: list[dt.date | None], mixed: list[dt.date | dt.datetime | None]
) -> None:
    """Each distinct day of a column is written once and reused: the same text per value,
    a column holding datetimes included."""
    table = metadata.tables["participant_checkins"]
    dialect = sqlite.dialect()
    for values in (days, mixed):
        rows: list[dict[str, Any]] = [{"done_on": value} for value in values]
        assert bound_rows(table, ["done_on"], rows, dialect) == [
            by_processor(table, ["done_on"], row, dialect) for row in rows
        ]
