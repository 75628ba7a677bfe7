"""The audit journal in ``audit_journal``, and subject tokens in ``audit_subjects``.

Entries are only ever inserted: the database's triggers (migration 0007)
refuse UPDATE and DELETE, so this repository has no way to change one. A
token is made with ``INSERT ... ON CONFLICT DO NOTHING`` and read back, so two
transactions naming a participant for the first time agree on one token.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...audit.entry import AuditEntry
from .tables import AuditEntryRow, AuditSubjectRow

__all__ = ["SqlAuditJournalRepository"]

#: Entries fetched per round trip when reading the journal.
_BATCH = 1000


class SqlAuditJournalRepository:
    """The audit journal and the participants' subject tokens."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, entry: AuditEntry) -> AuditEntry:
        """Insert ``entry``; return it with the ``seq`` the database gave it."""
        row = AuditEntryRow(
            recorded_at=entry.recorded_at.astimezone(dt.UTC),
            actor=entry.actor,
            operation=entry.operation,
            programme_id=entry.programme_id,
            subject=entry.subject,
            counts=json.dumps(dict(entry.counts), sort_keys=True),
        )
        self._session.add(row)
        self._session.flush()
        return AuditEntry(
            entry.recorded_at,
            entry.actor,
            entry.operation,
            entry.programme_id,
            entry.subject,
            entry.counts,
            row.seq,
        )

    def entries(
        self,
        programme_id: str,
        *,
        subject: str | None = None,
        since: dt.datetime | None = None,
    ) -> Iterator[tuple[AuditEntry, str | None]]:
        """The programme's entries by ``seq``, each with the participant its token stands for."""
        query = (
            select(AuditEntryRow, AuditSubjectRow.participant_id)
            .outerjoin(AuditSubjectRow, AuditSubjectRow.token == AuditEntryRow.subject)
            .where(AuditEntryRow.programme_id == programme_id)
            .order_by(AuditEntryRow.seq)
        )
        if subject is not None:
            query = query.where(AuditEntryRow.subject == subject)
        if since is not None:
            query = query.where(AuditEntryRow.recorded_at >= since.astimezone(dt.UTC))
        for row, participant_id in self._session.execute(query.execution_options(yield_per=_BATCH)):
            yield _entry(row), participant_id

    def subject(self, programme_id: str, participant_id: str) -> str | None:
        """The participant's token, or None."""
        return self._session.scalar(
            select(AuditSubjectRow.token).where(
                AuditSubjectRow.programme_id == programme_id,
                AuditSubjectRow.participant_id == participant_id,
            )
        )

    def link_subject(self, programme_id: str, participant_id: str, token: str) -> str:
        """The stored token of the participant, else ``token``, stored now."""
        from sqlalchemy.dialects import postgresql, sqlite  # only writers load them

        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self._session.execute(
            insert(AuditSubjectRow)
            .values(programme_id=programme_id, participant_id=participant_id, token=token)
            .on_conflict_do_nothing(index_elements=["programme_id", "participant_id"])
        )
        stored = self.subject(programme_id, participant_id)
        if stored is None:  # pragma: no cover - the row was just inserted or already there
            raise RuntimeError("the subject token vanished within its own transaction")
        return stored

    def forget_subject(self, programme_id: str, participant_id: str) -> bool:
        """Delete the participant's token; whether there was one."""
        result = self._session.execute(
            delete(AuditSubjectRow)
            .where(
                AuditSubjectRow.programme_id == programme_id,
                AuditSubjectRow.participant_id == participant_id,
            )
            .returning(AuditSubjectRow.token)
        )
        return result.first() is not None


def _entry(row: AuditEntryRow) -> AuditEntry:
    moment = row.recorded_at
    if moment.tzinfo is None:  # SQLite gives back the UTC wall clock without its offset
        moment = moment.replace(tzinfo=dt.UTC)
    return AuditEntry(
        moment,
        row.actor,
        row.operation,
        row.programme_id,
        row.subject,
        json.loads(row.counts),
        row.seq,
    )
