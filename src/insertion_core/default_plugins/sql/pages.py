"""Pages of row ids read on either dialect: one bound list, and no JIT on PostgreSQL.

A report computes the participants not settled on its as_of page by page
(:mod:`.facts`), each page named by its 5,000 row ids. Two costs do not depend
on the data but on how a page is sent:

- as ``IN (...)`` with one parameter per row id, SQLAlchemy renders and psycopg
  parses a statement of 5,000 placeholders for every page (about a third of the
  client's time at a million participants). On PostgreSQL the page goes as one
  array parameter, ``= ANY(:page)``, a short statement; SQLite, without arrays,
  keeps the expanded ``IN``.
- PostgreSQL's estimate for a page's aggregate passes ``jit_above_cost``, and
  compiling it costs more than running it (about 50 of 90 ms). The pages run
  with ``jit`` off for their transaction, the previous value put back after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, any_, bindparam, text
from sqlalchemy.orm import Session

__all__ = ["among", "without_jit"]


def among(column: ColumnElement[Any], name: str, dialect: str) -> ColumnElement[bool]:
    """``column`` is one of the row ids bound as ``name`` (a list of ints)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # a PostgreSQL storage loads it anyway

        return column == any_(bindparam(name, type_=ARRAY(BigInteger)))
    return column.in_(bindparam(name, expanding=True))


@contextmanager
def without_jit(session: Session) -> Iterator[None]:
    """PostgreSQL plans the statements run inside without JIT compilation; other dialects as they are."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    previous = session.execute(
        text("SELECT current_setting('jit'), set_config('jit', 'off', true)")
    ).scalar_one()
    yield
    # After an error the transaction ends, and its local setting with it.
    session.execute(text("SELECT set_config('jit', :previous, true)"), {"previous": previous})
