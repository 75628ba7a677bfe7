"""What a notification channel provides; channels are registered through ``register_notifiers``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .notice import Notice

__all__ = ["Notifier"]


class Notifier(Protocol):
    """A channel that delivers notices: e-mail, webhook, log...

    ``send`` raises on failure; the ledger records the error and retries later
    with backoff. It must pass ``notice_id`` on to the receiver (Message-ID,
    idempotency header) so a notice re-sent after a crash can be recognised.
    It must return or raise within the channel's deadline
    (:func:`~insertion_core.notify.deadline_of`, the ``deadline`` setting):
    the notice is leased to the run for that long plus a margin, and an
    attempt that outlives its lease may be repeated by another run.
    :class:`~insertion_core.notify.AttemptDeadline` cuts a socket at the deadline.
    """

    @property
    def name(self) -> str: ...

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        """Deliver one notice with the channel's ``[notify.<name>]`` settings."""
        ...
