"""Bulk inserts: ``COPY`` on PostgreSQL, else the driver's executemany over converted rows.

The bulk write paths (journeys and the tables derived from them, personal
data) hand the driver tuples of bound values without SQLAlchemy's per-row
parameter handling (:func:`insert_rows`). Each value still goes through its column type's bind
processor, so it is stored exactly as Core would store it; a column is
converted with one list comprehension, and on SQLite the two hot cases skip
the processor's call: a date becomes its ISO text (the dialect's own date
format, checked once; each distinct day of a column written once) and a flag
stays the integer it is.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Boolean, Date, Dialect, Table, bindparam, insert
from sqlalchemy.orm import Session

from ...errors import StorageError

__all__ = ["bound_rows", "insert_rows", "row_values"]

_Converter = Callable[[Sequence[Any]], list[Any]]


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows, all with the same keys: ``COPY`` on PostgreSQL, one driver
    executemany elsewhere.

    Both skip SQLAlchemy's per-row parameter handling, which costs more than
    the database's work on large batches; values go through each column
    type's own bind processor, so they are stored exactly as Core stores them.
    """
    dialect = session.get_bind().dialect
    columns = list(rows[0])
    if dialect.name != "postgresql":
        _executemany(session, table, columns, rows)
        return
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    raw = session.connection().connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for values in row_values(columns, rows):
                copy.write_row(values)
    except dialect.loaded_dbapi.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise StorageError(f"{table.name}: database error: {first}") from error


def _executemany(
    session: Session, table: Table, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    """One ``INSERT`` run by the driver's executemany over tuples of bound values."""
    connection = session.connection()
    dialect = connection.dialect
    statement = insert(table).values({column: bindparam(column) for column in columns})
    compiled = statement.compile(dialect=dialect)
    names = compiled.positiontup
    if names is None or list(names) != columns:
        session.execute(insert(table), rows)  # a dialect with named parameters
        return
    connection.exec_driver_sql(compiled.string, bound_rows(table, columns, rows, dialect))


def bound_rows(
    table: Table, columns: Sequence[str], rows: Sequence[dict[str, Any]], dialect: Dialect
) -> list[tuple[Any, ...]]:
    """The rows' values in ``columns`` order, each through its column's bind processor."""
    values = row_values(columns, rows)
    converters = [(i, _converter(table.c[name].type, dialect)) for i, name in enumerate(columns)]
    converting = [(i, convert) for i, convert in converters if convert is not None]
    if not converting:
        return values
    by_column: list[Sequence[Any]] = list(zip(*values, strict=True))
    for i, convert in converting:
        by_column[i] = convert(by_column[i])
    return list(zip(*by_column, strict=True))


def row_values(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows' values in ``columns`` order, as they are (``COPY`` adapts them itself)."""
    if len(columns) == 1:
        (name,) = columns
        return [(row[name],) for row in rows]
    get = operator.itemgetter(*columns)
    return [get(row) for row in rows]


def _converter(kind: Any, dialect: Dialect) -> _Converter | None:
    """How a column of this type converts its values; None when they go to the driver as they are."""
    process = kind.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None

    def processed(column: Sequence[Any]) -> list[Any]:
        return [None if value is None else process(value) for value in column]

    if dialect.name != "sqlite":
        return processed
    if isinstance(kind, Date) and process(dt.date(1, 2, 3)) == "0001-02-03":

        def each(column: Sequence[Any]) -> list[Any]:
            return [
                value.isoformat()
                if type(value) is dt.date
                else None
                if value is None
                else process(value)
                for value in column
            ]

        def iso(column: Sequence[Any]) -> list[Any]:
            # A batch's dates repeat (exit days, due days): each distinct day is written
            # once, then looked up at C speed; any other value is converted one by one.
            try:
                texts: dict[dt.date | None, str | None] = {
                    value: value.isoformat() for value in set(column) if type(value) is dt.date
                }
            except TypeError:  # an unhashable value
                return each(column)
            texts[None] = None
            try:
                return list(map(texts.__getitem__, column))
            except KeyError:  # a value that is not a date (a datetime): the processor's
                return each(column)

        return iso
    if isinstance(kind, Boolean) and process(True) == 1 and process(False) == 0:

        def flag(column: Sequence[Any]) -> list[Any]:
            # sqlite3 stores True as the integer 1, as the processor's int(True)
            return [
                value if type(value) is bool or value is None else process(value)
                for value in column
            ]

        return flag
    return processed
