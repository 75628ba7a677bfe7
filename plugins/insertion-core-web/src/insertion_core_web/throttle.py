"""Logging in slowed down after repeated failures, by account name and by client address.

Failures are kept in the server's memory (one process serves a site): after
``per_name`` failures for one account name within ``window`` seconds, that name
is refused until the oldest of them is ``window`` seconds old, whatever the
password; after ``per_address`` failures from one client address, that address
is refused the same way. A success clears the name's failures. A restart forgets
everything, which at worst gives a guesser a few more tries.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable

__all__ = ["LoginThrottle"]

_MAX_KEYS = 10_000


class LoginThrottle:
    """Counts failed logins and says how long a name or an address must wait."""

    def __init__(
        self,
        *,
        per_name: int = 5,
        per_address: int = 20,
        window: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_name = per_name
        self.per_address = per_address
        self.window = window
        self.clock = clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._prune_above = _MAX_KEYS

    def _wait(self, key: str, limit: int) -> float:
        now = self.clock()
        failures = self._failures.get(key)
        if failures is None:
            return 0.0
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return 0.0
        if len(failures) < limit:
            return 0.0
        return failures[-limit] + self.window - now

    def wait(self, name: str, address: str) -> float:
        """Seconds before ``name`` may try again from ``address``; 0 when it may now."""
        return max(
            self._wait(f"name:{name.casefold()}", self.per_name),
            self._wait(f"address:{address}", self.per_address),
        )

    def failed(self, name: str, address: str) -> None:
        """Count a failed attempt against the name and the address."""
        now = self.clock()
        if len(self._failures) > self._prune_above:  # many names tried: drop what has expired
            for key in list(self._failures):
                self._wait(key, 1)
            # the next sweep waits until the table doubles: sweeping stays linear overall
            self._prune_above = max(_MAX_KEYS, 2 * len(self._failures))
        self._failures[f"name:{name.casefold()}"].append(now)
        self._failures[f"address:{address}"].append(now)

    def succeeded(self, name: str) -> None:
        """Forget the name's failures (the address keeps its own)."""
        self._failures.pop(f"name:{name.casefold()}", None)
