"""A webhook receiver on a loopback port for the notify tests: slow, failing or redirecting."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Webhook(ThreadingHTTPServer):
    """Answers every POST with ``status`` after ``delay`` seconds; keeps every call.

    ``calls`` holds (status answered, Idempotency-Key, JSON body); ``location``,
    when set, is sent as a ``Location`` header (for redirects); ``other`` counts
    requests that are not POSTs.
    """

    daemon_threads = True

    def __init__(self, status: int = 204, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.status = status
        self.delay = delay
        self.location: str | None = None
        self.calls: list[tuple[int, str, dict[str, Any]]] = []
        self.other = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/notices"

    def posts_by_key(self) -> Counter[str]:
        """How many POSTs each idempotency key received."""
        with self.lock:
            return Counter(key for _, key, _ in self.calls)


class _Handler(BaseHTTPRequestHandler):
    server: Webhook

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(self.server.delay)
        with self.server.lock:
            self.server.calls.append((self.server.status, self.headers["Idempotency-Key"], body))
        self.send_response(self.server.status)
        if self.server.location is not None:
            self.send_header("Location", self.server.location)
        self.end_headers()

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.other += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serving(status: int = 204, delay: float = 0.0) -> Iterator[Webhook]:
    """A running :class:`Webhook`, shut down afterwards."""
    server = Webhook(status, delay)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
