"""The ledger of notices: which were sent, which are being sent, which failed and when to retry.

Each notice on each channel has one entry. ``sending`` is recorded in its own
transaction before the attempt and ``sent`` after it, so a crash leaves at
most one notice ``sending``; it is re-sent with the same id on the next run,
and the receiver can drop the duplicate (docs/architecture.md, Notices).

A ``sending`` entry carries a lease: it belongs to the run that claimed it
(``owner``) until ``lease_until``, which is later than that run's attempt can
last. Other runs leave it alone until then; past it, the run is taken to have
crashed. Claims are compare-and-swaps on :attr:`LedgerEntry.version`, so two
runs that saw the same entry cannot both claim it.
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
    owner: str | None = None
    """The run that made the last attempt (host, process and a random part)."""
    lease_until: dt.datetime | None = None
    """While ``sending``: until when the notice belongs to ``owner``."""

    @property
    def version(self) -> tuple[LedgerStatus, int, str | None]:
        """What changes with every claim and every result: what a compare-and-swap compares."""
        return (self.status, self.attempts, self.owner)

    def is_leased(self, now: dt.datetime) -> bool:
        """Whether another run's attempt may still be under way."""
        return (
            self.status is LedgerStatus.SENDING
            and self.lease_until is not None
            and now < self.lease_until
        )


@attrs.frozen
class RetryPolicy:
    """Exponential backoff between attempts, up to ``max_attempts`` in all.

    ``lease_margin`` is added to a channel's attempt deadline to make the
    lease: it covers the two short ledger transactions around the attempt,
    their retries when the database is busy, and clock differences between hosts.
    """

    max_attempts: int = 6
    first_delay: dt.timedelta = dt.timedelta(minutes=5)
    factor: int = 3
    lease_margin: dt.timedelta = dt.timedelta(minutes=2)

    def is_due(self, entry: LedgerEntry | None, now: dt.datetime) -> bool:
        """Whether the notice should be attempted now."""
        if entry is None:
            return True  # never tried
        if entry.status is LedgerStatus.SENDING:
            return not entry.is_leased(now)  # past its lease, the attempt died with its run
        if entry.status is not LedgerStatus.RETRYING:
            return False  # sent, or failed for good
        return entry.next_attempt_at is None or entry.next_attempt_at <= now

    def lease(self, deadline: dt.timedelta) -> dt.timedelta:
        """How long a claim lasts for a channel whose attempts end within ``deadline``."""
        return deadline + self.lease_margin

    def sending(
        self, entry: LedgerEntry, now: dt.datetime, owner: str, lease: dt.timedelta
    ) -> LedgerEntry:
        """The entry while ``owner``'s attempt is under way, theirs for ``lease``."""
        return attrs.evolve(
            entry,
            status=LedgerStatus.SENDING,
            attempts=entry.attempts + 1,
            updated_at=now,
            owner=owner,
            lease_until=now + lease,
        )

    def sent(self, entry: LedgerEntry, now: dt.datetime) -> LedgerEntry:
        """The entry after a successful attempt."""
        return attrs.evolve(
            entry,
            status=LedgerStatus.SENT,
            last_error=None,
            next_attempt_at=None,
            updated_at=now,
            lease_until=None,
        )

    def failed(self, entry: LedgerEntry, error: str, now: dt.datetime) -> LedgerEntry:
        """The entry after a failed attempt: retried later, or failed for good."""
        given_up = entry.attempts >= self.max_attempts
        delay = self.first_delay * self.factor ** (entry.attempts - 1)
        return attrs.evolve(
            entry,
            status=LedgerStatus.FAILED if given_up else LedgerStatus.RETRYING,
            last_error=error,
            next_attempt_at=None if given_up else now + delay,
            updated_at=now,
            lease_until=None,
        )
