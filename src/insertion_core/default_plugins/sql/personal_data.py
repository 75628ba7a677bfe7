"""Personal data in SQL: names and contact details, in ``personal_data``, apart from the core.

One participant at a time through ORM rows read fresh, or many in batches of
set-based statements (an import, the staff lists).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...domain.model import PersonalData
from .bind import insert_rows
from .mapping import personal_from_row, personal_params
from .programmes import require_programme
from .repositories import DEFAULT_BATCH_SIZE
from .tables import PersonalDataRow, metadata

__all__ = ["SqlPersonalDataRepository"]


class SqlPersonalDataRepository:
    """Names and contact details, in ``personal_data``, apart from the core."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, programme_id: str, personal: PersonalData) -> None:
        """Store the participant's personal data (an empty value removes it)."""
        require_programme(self._session, programme_id)
        if personal.is_empty():
            self._session.execute(
                delete(PersonalDataRow)
                .where(
                    PersonalDataRow.programme_id == programme_id,
                    PersonalDataRow.participant_id == personal.participant_id,
                )
                .execution_options(synchronize_session="fetch")
            )
        else:
            self._session.merge(PersonalDataRow(**personal_params(programme_id, personal)))
        self._session.flush()

    def save_many(self, programme_id: str, personal: Iterable[PersonalData]) -> int:
        """Store many participants' personal data as ``save`` would, in batches of set-based statements.

        Per batch: one ``DELETE ... WHERE participant_id IN (...)`` and one
        bulk insert of the values that are not empty (``COPY`` on PostgreSQL,
        :func:`.bind.insert_rows`).

        :returns: how many were given (the later one wins).
        """
        require_programme(self._session, programme_id)
        table = metadata.tables["personal_data"]
        given = 0
        iterator = iter(personal)
        for batch in iter(lambda: list(islice(iterator, DEFAULT_BATCH_SIZE)), []):
            latest = {p.participant_id: p for p in batch}
            given += len(batch)
            self._session.execute(
                delete(table).where(
                    table.c.programme_id == programme_id,
                    table.c.participant_id.in_(list(latest)),
                )
            )
            rows = [personal_params(programme_id, p) for p in latest.values() if not p.is_empty()]
            if rows:
                insert_rows(self._session, table, rows)
        self._session.expire_all()  # ORM objects read before no longer say what is stored
        return given

    def get_many(
        self, programme_id: str, participant_ids: Iterable[str]
    ) -> dict[str, PersonalData]:
        """The personal data stored for those participants, by id: one query per batch."""
        found: dict[str, PersonalData] = {}
        iterator = iter(dict.fromkeys(participant_ids))
        for batch in iter(lambda: list(islice(iterator, DEFAULT_BATCH_SIZE)), []):
            query = (
                select(PersonalDataRow)
                .where(
                    PersonalDataRow.programme_id == programme_id,
                    PersonalDataRow.participant_id.in_(batch),
                )
                .execution_options(populate_existing=True)
            )
            rows = self._session.scalars(query)
            found.update((row.participant_id, personal_from_row(row)) for row in rows)
        return found

    def get(self, programme_id: str, participant_id: str) -> PersonalData | None:
        """The participant's personal data, or None."""
        row = self._session.get(
            PersonalDataRow, (programme_id, participant_id), populate_existing=True
        )
        return None if row is None else personal_from_row(row)
