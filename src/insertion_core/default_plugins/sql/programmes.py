"""Programmes in SQL, each kept as its TOML text and parsed again when read.

Also what the other repositories share about programmes: the check that one
is stored before writing for it, and the stored programme parsed once per text.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.programme import Programme
from ...errors import NotFoundError
from ..programme_source import check_source, programme_from_source
from .stored_checkins import store_programme_checkins
from .tables import ProgrammeRow

__all__ = ["SqlProgrammeRepository", "parsed_programme", "require_programme", "stored_programme"]


def require_programme(session: Session, programme_id: str) -> None:
    """Refuse a write for a programme that is not stored."""
    if session.get(ProgrammeRow, programme_id) is None:
        raise NotFoundError(f"programme {programme_id!r} is not stored; load it first")


@lru_cache(maxsize=16)
def parsed_programme(programme_id: str, source: str) -> Programme:
    """The programme a stored text describes, parsed once per text (programmes are immutable)."""
    return programme_from_source(programme_id, source)


def stored_programme(session: Session, programme_id: str) -> Programme:
    """The programme as stored now (the unit of work may have just changed it)."""
    row = session.get(ProgrammeRow, programme_id, populate_existing=True)
    if row is None:
        raise NotFoundError(f"programme {programme_id!r} is not stored; load it first")
    return parsed_programme(programme_id, row.source)


class SqlProgrammeRepository:
    """Programmes, each kept as its TOML text and re-read on get."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, programme: Programme, source: str) -> None:
        """Add the programme, or replace the one with the same id."""
        check_source(programme, source)
        row = self._session.get(ProgrammeRow, programme.id)
        if row is None:
            self._session.add(ProgrammeRow(id=programme.id, source=source))
        else:
            before = parsed_programme(row.id, row.source)
            changed = row.source != source
            row.source = source
            self._session.flush()
            if before.followup != programme.followup:  # every check-in may have moved
                store_programme_checkins(self._session, programme)
            if changed:  # the rules the stored facts follow may have changed
                from .stored_facts import store_programme_facts  # the outcome engine

                store_programme_facts(self._session, programme)
        self._session.flush()

    def get(self, programme_id: str) -> Programme | None:
        """The programme with this id, or None."""
        row = self._session.get(ProgrammeRow, programme_id, populate_existing=True)
        return None if row is None else programme_from_source(row.id, row.source)

    def ids(self) -> list[str]:
        """Every programme id, sorted."""
        return list(self._session.scalars(select(ProgrammeRow.id).order_by(ProgrammeRow.id)))
