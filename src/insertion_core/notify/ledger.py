"""The ledger of notices: which were sent, which are being sent, which failed and when to retry.

Each notice on each channel has one entry. ``sending`` is recorded in its own
transaction before the attempt and ``sent`` after it, so a crash leaves at
most one notice ``sending``; it is re-sent with the same id on the next run,
and the receiver can drop the duplicate (docs/architecture.md, Notices).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

__all__ = ["LedgerEntry", "LedgerStatus", "RetryPolicy"]


class LedgerStatus(enum.StrEnum):
    """Where a notice is on one channel."""

    SENDING = "sending"
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"


@attrs.frozen
class LedgerEntry:
    """One notice on one channel."""

    notice_id: str
    programme_id: str
    channel: str
    key: str
    status: LedgerStatus
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


@attrs.frozen
class RetryPolicy:
    """Exponential backoff between attempts, up to ``max_attempts`` in all."""

    max_attempts: int = 6
    first_delay: dt.timedelta = dt.timedelta(minutes=5)
    factor: int = 3

    def is_due(self, entry: LedgerEntry | None, now: dt.datetime) -> bool:
        """Whether the notice should be attempted now."""
        if entry is None or entry.status is LedgerStatus.SENDING:
            return True  # never tried, or a crash interrupted the attempt
        if entry.status is not LedgerStatus.RETRYING:
            return False  # sent, or failed for good
        return entry.next_attempt_at is None or entry.next_attempt_at <= now

    def sending(self, entry: LedgerEntry, now: dt.datetime) -> LedgerEntry:
        """The entry while an attempt is under way."""
        return attrs.evolve(
            entry, status=LedgerStatus.SENDING, attempts=entry.attempts + 1, updated_at=now
        )

    def sent(self, entry: LedgerEntry, now: dt.datetime) -> LedgerEntry:
        """The entry after a successful attempt."""
        return attrs.evolve(
            entry, status=LedgerStatus.SENT, last_error=None, next_attempt_at=None, updated_at=now
        )

    def failed(self, entry: LedgerEntry, error: str, now: dt.datetime) -> LedgerEntry:
        """The entry after a failed attempt: retried later, or failed for good."""
        if entry.attempts >= self.max_attempts:
            return attrs.evolve(
                entry,
                status=LedgerStatus.FAILED,
                last_error=error,
                next_attempt_at=None,
                updated_at=now,
            )
        delay = self.first_delay * self.factor ** (entry.attempts - 1)
        return attrs.evolve(
            entry,
            status=LedgerStatus.RETRYING,
            last_error=error,
            next_attempt_at=now + delay,
            updated_at=now,
        )
