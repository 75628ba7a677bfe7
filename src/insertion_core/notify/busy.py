"""Running one short ledger transaction again while the database is busy.

``insertion notify`` may overlap an import or another run: SQLite then says
"database is locked" once its busy timeout is spent, and PostgreSQL may
report a serialization failure or a deadlock. Each of notify's transactions
is short and can simply be run again from its start, so it is, a few times
with growing pauses, rather than stopping the run between two notices.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

import attrs

from ..errors import StorageBusyError

__all__ = ["BusyRetry"]

T = TypeVar("T")


@attrs.frozen
class BusyRetry:
    """Up to ``tries`` runs of a transaction, pausing about ``first_pause`` seconds, doubling."""

    tries: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    first_pause: float = 0.2
    sleep: Callable[[float], None] = time.sleep

    def run(self, transaction: Callable[[], T]) -> T:
        """The transaction's result; :class:`StorageBusyError` when it was busy every time."""
        pause = self.first_pause
        for _ in range(self.tries - 1):
            try:
                return transaction()
            except StorageBusyError:
                # jitter, so that runs that collided do not collide again
                self.sleep(pause * random.uniform(0.5, 1.5))
                pause *= 2
        try:
            return transaction()
        except StorageBusyError as error:
            raise StorageBusyError(
                f"{error} (the database was still busy after {self.tries} tries)"
            ) from error
