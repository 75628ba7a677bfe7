"""The overall time limit of one attempt to deliver a notice.

A channel's ``deadline`` setting (seconds, 30 by default) bounds a whole
attempt: connecting, sending, and reading the answer. A socket timeout only
bounds each read, so a server answering one byte at a time could hold an
attempt for hours; :class:`AttemptDeadline` shuts the connection when the
deadline passes, whatever the attempt is waiting for. The ledger's lease is
derived from the deadline, which is why a channel must keep to it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self

from ..errors import ConfigError

__all__ = ["DEFAULT_DEADLINE", "MAX_DEADLINE", "AttemptDeadline", "DeadlineExceeded", "deadline_of"]

#: Seconds an attempt may take when the channel's table does not say.
DEFAULT_DEADLINE = 30.0
#: The longest deadline a channel may set, in seconds.
MAX_DEADLINE = 600.0


def deadline_of(settings: Mapping[str, Any], channel: str) -> float:
    """The ``deadline`` of the ``[notify.<channel>]`` table, in seconds."""
    value = settings.get("deadline", DEFAULT_DEADLINE)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 < value <= MAX_DEADLINE
    ):
        raise ConfigError(
            f"[notify.{channel}]: deadline: expected a number of seconds above 0 and at most "
            f"{MAX_DEADLINE:g}, got {value!r}"
        )
    return float(value)


class DeadlineExceeded(TimeoutError):
    """An attempt was cut at its deadline."""


class AttemptDeadline:
    """Shuts the attempt's connection down when ``seconds`` have passed since entering.

    ``connection`` gives the socket in use at that moment (None before it is
    connected); it is asked again when the deadline passes, so a socket
    replaced by STARTTLS is the one shut, and :meth:`check` covers a deadline
    that passed while connecting. An error raised by the cut attempt becomes
    :class:`DeadlineExceeded`.
    """

    def __init__(self, seconds: float, connection: Callable[[], socket.socket | None]) -> None:
        self.seconds = seconds
        self._connection = connection
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self.expired = False

    def check(self) -> None:
        """Raise :class:`DeadlineExceeded` if the deadline passed (call it once connected)."""
        if self.expired:
            raise DeadlineExceeded(self._message())

    def _message(self) -> str:
        return f"no complete answer within the {self.seconds:g} s deadline"

    def _cut(self) -> None:
        self.expired = True
        sock = self._connection()
        if sock is not None:
            # the plain socket's shutdown, also for an SSL socket: wakes any blocked read
            with contextlib.suppress(OSError):  # already closed
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def __enter__(self) -> Self:
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        if self.expired and isinstance(exc, Exception):
            raise DeadlineExceeded(self._message()) from exc
