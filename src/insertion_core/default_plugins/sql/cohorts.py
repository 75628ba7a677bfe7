"""Cohorts in SQL: their own dates and capacity, one ORM row each, read fresh."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.model import Cohort
from .mapping import cohort_from_row, cohort_params
from .programmes import require_programme
from .tables import CohortRow

__all__ = ["SqlCohortRepository"]


class SqlCohortRepository:
    """Cohorts' own dates and capacity."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, programme_id: str, cohort: Cohort) -> None:
        """Add the cohort, or replace the one with the same id."""
        require_programme(self._session, programme_id)
        self._session.merge(CohortRow(**cohort_params(programme_id, cohort)))
        self._session.flush()

    def get(self, programme_id: str, cohort_id: str) -> Cohort | None:
        """The cohort, or None."""
        row = self._session.get(CohortRow, (programme_id, cohort_id), populate_existing=True)
        return None if row is None else cohort_from_row(row)

    def list(self, programme_id: str) -> list[Cohort]:
        """Every cohort of the programme, by id."""
        query = (
            select(CohortRow)
            .where(CohortRow.programme_id == programme_id)
            .order_by(CohortRow.cohort_id)
            .execution_options(populate_existing=True)
        )
        return [cohort_from_row(row) for row in self._session.scalars(query)]
