"""The webhook notifier against a real HTTP server on a loopback port."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import urllib.error
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from insertion_core_webhook import SIGNATURE_HEADER, WebhookNotifier, sign

from insertion_core import ConfigError
from insertion_core.hooks import Hooks
from insertion_core.notify import Notice, NoticeKind
from insertion_core.plugins import get_plugin_manager

SECRET = "s3cret-for-tests"


class Receiver(ThreadingHTTPServer):
    """Keeps every request; answers with ``status``."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 204


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((dict(self.headers.items()), body))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_WEBHOOK_SECRET", SECRET)


NOTICE = Notice(
    programme_id="gonesse",
    kind=NoticeKind.CHECKIN_OVERDUE,
    participant_ref="GON-0042",
    on=dt.date(2026, 11, 5),
    counsellor="cip-2",
    checkpoint_months=1,
)


def settings(server: Receiver) -> dict[str, Any]:
    return {
        "url": f"http://127.0.0.1:{server.server_port}/hook",
        "secret_env": "TEST_WEBHOOK_SECRET",
    }


def test_posts_signed_json_with_the_notice_id(receiver: Receiver) -> None:
    WebhookNotifier().send(NOTICE, "n-1", settings(receiver))
    [(headers, body)] = receiver.requests
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == expected
    assert headers["Idempotency-Key"] == "n-1"
    document = json.loads(body)
    assert document["id"] == "n-1"
    assert document["participant"] == "GON-0042"
    assert document["kind"] == "checkin_overdue"
    assert document["date"] == "2026-11-05"
    assert document["counsellor"] == "cip-2"


def test_sign_is_hmac_sha256_of_the_body() -> None:
    assert sign(b"{}", "k") == "sha256=" + hmac.new(b"k", b"{}", hashlib.sha256).hexdigest()


def test_a_server_error_raises(receiver: Receiver) -> None:
    receiver.status = 500
    with pytest.raises(urllib.error.HTTPError, match="500"):
        WebhookNotifier().send(NOTICE, "n-2", settings(receiver))


def test_a_missing_secret_is_a_config_error(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_WEBHOOK_SECRET")
    with pytest.raises(ConfigError, match=r"\[notify.webhook\]: secret_env: required"):
        WebhookNotifier().send(NOTICE, "n-3", settings(receiver))
    assert receiver.requests == []


def test_a_bad_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"\[notify.webhook\]: url: required"):
        WebhookNotifier().send(
            NOTICE, "n-4", {"url": "ftp://x", "secret_env": "TEST_WEBHOOK_SECRET"}
        )


def test_the_plugin_registers_the_webhook_channel_through_its_entry_point() -> None:
    pm = get_plugin_manager()
    assert "webhook" in Hooks(pm).notifiers()
    info = next(i for i in pm.plugin_infos() if i.name == "webhook")
    assert info.distribution == "insertion-core-webhook"
