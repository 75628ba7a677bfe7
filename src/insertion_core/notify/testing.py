"""A server that answers one byte at a time: for testing that a notifier keeps to its deadline.

A socket timeout does not stop a server that sends a byte just before each
read would time out; only an overall deadline does (:mod:`.deadline`).
Point a channel at :attr:`SlowDripServer.port` with a short ``deadline``
and check that ``send`` raises :class:`~insertion_core.notify.DeadlineExceeded`
soon after it::

    with SlowDripServer(b"220 mail.example.org ESMTP\\r\\n") as server:
        with pytest.raises(DeadlineExceeded):
            MyNotifier().send(notice, "id", {"port": server.port, "deadline": 0.5})
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Self

__all__ = ["SlowDripServer"]


class SlowDripServer:
    """A TCP server on 127.0.0.1 that drips ``answer`` to each connection, a byte per ``interval`` s."""

    def __init__(self, answer: bytes, interval: float = 0.2) -> None:
        self.answer = answer
        self.interval = interval
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()

    def __enter__(self) -> Self:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # closed
            self.connections += 1
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        with connection:
            for byte in self.answer:
                if self._stop.wait(self.interval):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return  # the client gave up
