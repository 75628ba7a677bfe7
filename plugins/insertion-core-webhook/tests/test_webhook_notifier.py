"""The webhook notifier against a real HTTP server on a loopback port."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from insertion_core_webhook import SIGNATURE_HEADER, WebhookError, WebhookNotifier, sign

from insertion_core import ConfigError
from insertion_core.hooks import Hooks
from insertion_core.notify import DeadlineExceeded, Notice, NoticeKind
from insertion_core.notify.testing import SlowDripServer
from insertion_core.plugins import get_plugin_manager

SECRET = "s3cret-for-tests"


class Receiver(ThreadingHTTPServer):
    """Keeps every request; answers with ``status``."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.other_methods: list[str] = []
        self.status = 204
        self.location: str | None = None


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((dict(self.headers.items()), body))
        self.send_response(self.server.status)
        if self.server.location is not None:
            self.send_header("Location", self.server.location)
        self.end_headers()

    def do_GET(self) -> None:
        self.server.other_methods.append("GET")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def serving() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from serving()


@pytest.fixture
def elsewhere() -> Iterator[Receiver]:
    """Another server: where a redirect points."""
    yield from serving()


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
    with pytest.raises(WebhookError, match=r"^webhook answered HTTP 500$"):
        WebhookNotifier().send(NOTICE, "n-2", settings(receiver))


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_is_a_failure(
    receiver: Receiver, elsewhere: Receiver, status: int
) -> None:
    receiver.status = status
    receiver.location = f"http://127.0.0.1:{elsewhere.server_port}/stolen"
    with pytest.raises(WebhookError) as caught:
        WebhookNotifier().send(NOTICE, "n-5", settings(receiver))
    assert str(caught.value) == (
        f"webhook answered HTTP {status} (a redirect, not followed: "
        "set url to the address that takes the POST)"
    )
    assert len(receiver.requests) == 1
    # the signature and the idempotency key never reach the other address
    assert elsewhere.requests == [] and elsewhere.other_methods == []


def test_a_slow_drip_answer_is_cut_at_the_deadline() -> None:
    answer = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"  # 10 s at 0.2 s a byte
    with SlowDripServer(answer, interval=0.2) as drip:
        config = {
            "url": f"http://127.0.0.1:{drip.port}/hook",
            "secret_env": "TEST_WEBHOOK_SECRET",
            "deadline": 0.8,
        }
        started = time.monotonic()
        with pytest.raises(
            DeadlineExceeded, match=r"^no complete answer within the 0.8 s deadline$"
        ):
            WebhookNotifier().send(NOTICE, "n-6", config)
        assert 0.7 < time.monotonic() - started < 1.5
        assert drip.connections == 1


def test_the_old_timeout_setting_is_refused_with_its_new_name(receiver: Receiver) -> None:
    with pytest.raises(ConfigError) as caught:
        WebhookNotifier().send(NOTICE, "n-7", {**settings(receiver), "timeout": 10})
    assert str(caught.value) == (
        "[notify.webhook]: timeout: replaced by deadline, the seconds a whole attempt may take"
    )
    assert receiver.requests == []


@pytest.mark.parametrize("deadline", [0, -1, 601, "10", True])
def test_a_bad_deadline_is_a_config_error(receiver: Receiver, deadline: object) -> None:
    with pytest.raises(ConfigError) as caught:
        WebhookNotifier().send(NOTICE, "n-8", {**settings(receiver), "deadline": deadline})
    assert str(caught.value) == (
        "[notify.webhook]: deadline: expected a number of seconds above 0 and at most 600, "
        f"got {deadline!r}"
    )
    assert receiver.requests == []


def test_a_missing_secret_is_a_config_error(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_WEBHOOK_SECRET")
    with pytest.raises(ConfigError, match=r"\[notify.webhook\]: secret_env: required"):
        WebhookNotifier().send(NOTICE, "n-3", settings(receiver))
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://x", "required, expected an http(s) URL"),
        ("http://", "required, expected an http(s) URL"),
        (
            "http://host:port/",
            "not a valid URL (Port could not be cast to integer value as 'port')",
        ),
    ],
)
def test_a_bad_url_is_a_config_error(url: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        WebhookNotifier().send(NOTICE, "n-4", {"url": url, "secret_env": "TEST_WEBHOOK_SECRET"})
    assert str(caught.value) == f"[notify.webhook]: url: {problem}"


def test_the_plugin_registers_the_webhook_channel_through_its_entry_point() -> None:
    pm = get_plugin_manager()
    assert "webhook" in Hooks(pm).notifiers()
    info = next(i for i in pm.plugin_infos() if i.name == "webhook")
    assert info.distribution == "insertion-core-webhook"


def test_the_settings_are_checked_when_the_programme_is_loaded() -> None:
    from insertion_core_webhook import validate_notifier_settings

    good = {"url": "https://example.org/hook", "secret_env": "SITE_SECRET", "deadline": 5}
    assert validate_notifier_settings("webhook", good) == []
    assert validate_notifier_settings("smtp", {"anything": 1}) is None  # not this plugin's
    assert validate_notifier_settings(
        "webhook", {"ulr": "https://example.org/hook", "timeout": 3}
    ) == [
        "[notify.webhook]: timeout: replaced by deadline, the seconds a whole attempt may take",
        "[notify.webhook]: ulr: unknown key (known keys: deadline, include_names, secret_env, url)",
        "[notify.webhook]: url: required, expected an http(s) URL",
        "[notify.webhook]: secret_env: required, the name of an environment variable "
        "holding the shared secret",
    ]


def test_a_misspelt_key_fails_programme_load(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from insertion_core.cli import make_cli

    programme = tmp_path / "site.toml"
    programme.write_text(
        '[programme]\nid = "site"\nname = "Site"\nduration_months = 6\n\n'
        "[followup]\nmonths = 6\ncheckpoints = [1, 3, 6]\n\n"
        '[notify.webhook]\nurl = "https://example.org/hook"\nsecret_env = "S"\nsecret = "x"\n',
        encoding="utf-8",
    )
    db = ["--db", f"sqlite:///{tmp_path / 'site.db'}"]
    cli = make_cli(get_plugin_manager())
    assert CliRunner().invoke(cli, [*db, "init"]).exit_code == 0
    result = CliRunner().invoke(cli, [*db, "programme", "load", str(programme)])
    assert result.exit_code == 1
    assert f"{programme}: [notify.webhook]: secret: unknown key" in result.stderr
