"""Conditions SQLite must not answer from an index: its unary ``+`` in front of a column.

Without statistics (no ``ANALYZE``), SQLite's planner guesses that an equality
on an indexed column matches a few rows, and takes that index even when the
condition holds for most of the table or another access is far cheaper:

- a report's parts read nearly every row of ``participant_facts``; through the
  ``(programme_id, settled_on)`` index each row costs a table look-up, about
  twice a plain scan (docs/architecture.md, Stored facts);
- a page of participants read by row id (``id IN (...)``) with a condition on
  ``programme_id`` would walk the programme's whole ``(programme_id,
  participant_id)`` index instead of looking up each row id.

PostgreSQL's planner chooses on its statistics: its columns are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import UnaryExpression

__all__ = ["unindexed"]

T = TypeVar("T")


def _plus(column: ColumnElement[T]) -> ColumnElement[T]:
    """The column behind SQLite's unary ``+``, which keeps the planner off its indexes."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _as_is(column: ColumnElement[T]) -> ColumnElement[T]:
    return column


def unindexed(dialect: str) -> Callable[[ColumnElement[T]], ColumnElement[T]]:
    """How to write a column that no index should answer, on this dialect."""
    return _plus if dialect == "sqlite" else _as_is
