"""The notice ledger in the ``notices`` table, with the compare-and-swap that makes a claim.

A claim or a result is written only if the row is still the version the
caller read: one ``UPDATE ... WHERE`` the version, whose row count says
whether it won, or, for a notice never tried, one
``INSERT ... ON CONFLICT DO NOTHING RETURNING``. Two runs that read the same entry cannot both
claim it, on SQLite (writers take turns) as on PostgreSQL (the second
``UPDATE`` waits for the first and then finds the version changed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.orm import Session

from ...notify.ledger import LedgerEntry, LedgerStatus
from ...notify.notice import is_about, key_prefixes
from .programmes import require_programme
from .tables import NoticeRow

__all__ = ["SqlNoticeLedgerRepository"]


class SqlNoticeLedgerRepository:
    """The notice ledger, in ``notices``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, notice_id: str) -> LedgerEntry | None:
        """The entry of one notice on one channel, or None."""
        row = self._session.get(NoticeRow, notice_id, populate_existing=True)
        return None if row is None else _entry_from_row(row)

    def save(self, entry: LedgerEntry) -> None:
        """Add or replace the entry."""
        require_programme(self._session, entry.programme_id)
        self._session.merge(NoticeRow(**_params(entry)))
        self._session.flush()

    def compare_and_swap(self, entry: LedgerEntry, expected: LedgerEntry | None) -> bool:
        """Write ``entry`` only if the stored one is still ``expected`` (None: no entry)."""
        require_programme(self._session, entry.programme_id)
        values = _params(entry)
        if expected is None:
            from sqlalchemy.dialects import postgresql, sqlite  # only writers load them

            dialect = self._session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            added = self._session.execute(
                insert(NoticeRow)
                .values(values)
                .on_conflict_do_nothing(index_elements=["notice_id"])
                .returning(NoticeRow.notice_id)  # the row count of this INSERT is not reliable
            ).first()
            won = added is not None
        else:
            status, attempts, owner = expected.version
            result = self._session.execute(
                update(NoticeRow)
                .where(
                    NoticeRow.notice_id == expected.notice_id,
                    NoticeRow.status == status.value,
                    NoticeRow.attempts == attempts,
                    NoticeRow.owner.is_(None) if owner is None else NoticeRow.owner == owner,
                )
                .values(values)
                .execution_options(synchronize_session=False)
            )
            assert isinstance(result, CursorResult)
            won = result.rowcount == 1
        self._session.expire_all()  # an ORM copy of the row would be stale now
        return won

    def unsettled(self, programme_id: str) -> list[LedgerEntry]:
        """Entries not sent, by key then channel."""
        rows = self._session.scalars(
            select(NoticeRow)
            .where(NoticeRow.programme_id == programme_id, NoticeRow.status != "sent")
            .order_by(NoticeRow.key, NoticeRow.channel)
        )
        return [_entry_from_row(row) for row in rows]

    def about(self, programme_id: str, participant_ref: str) -> list[LedgerEntry]:
        """Entries of the notices about one participant, by key then channel."""
        return [_entry_from_row(row) for row in self._rows_about(programme_id, participant_ref)]

    def forget(self, programme_id: str, participant_ref: str) -> int:
        """Delete the entries of the notices about one participant; how many there were."""
        ids = [row.notice_id for row in self._rows_about(programme_id, participant_ref)]
        if ids:
            self._session.execute(
                delete(NoticeRow)
                .where(NoticeRow.notice_id.in_(ids))
                .execution_options(synchronize_session=False)
            )
            self._session.expire_all()
        return len(ids)

    def _rows_about(self, programme_id: str, participant_ref: str) -> list[NoticeRow]:
        """Rows whose key starts as a notice about the participant, checked whole in Python."""
        prefixes = key_prefixes(programme_id, participant_ref)
        rows = self._session.scalars(
            select(NoticeRow)
            .where(
                NoticeRow.programme_id == programme_id,
                or_(*(NoticeRow.key.startswith(p, autoescape=True) for p in prefixes)),
            )
            .order_by(NoticeRow.key, NoticeRow.channel)
        )
        return [row for row in rows if is_about(row.key, programme_id, participant_ref)]


def _params(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "notice_id": entry.notice_id,
        "programme_id": entry.programme_id,
        "channel": entry.channel,
        "key": entry.key,
        "status": entry.status.value,
        "attempts": entry.attempts,
        "last_error": entry.last_error,
        "next_attempt_at": _utc(entry.next_attempt_at),
        "updated_at": _utc(entry.updated_at),
        "owner": entry.owner,
        "lease_until": _utc(entry.lease_until),
    }


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """In UTC: SQLite keeps the wall-clock digits and drops the offset."""
    return None if moment is None else moment.astimezone(dt.UTC)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes; the ledger stores UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _entry_from_row(row: NoticeRow) -> LedgerEntry:
    return LedgerEntry(
        notice_id=row.notice_id,
        programme_id=row.programme_id,
        channel=row.channel,
        key=row.key,
        status=LedgerStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        next_attempt_at=_aware(row.next_attempt_at),
        updated_at=_aware(row.updated_at),
        owner=row.owner,
        lease_until=_aware(row.lease_until),
    )
