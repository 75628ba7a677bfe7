"""``insertion notify`` from cron, twice in a row, to a real SMTP server and a real webhook.

The webhook fails on the first run and recovers on the second; every due
notice reaches each channel exactly once (the failed webhook calls are
retried with the same idempotency key).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner, Result

from insertion_core.cli import make_cli
from insertion_core.notify import service
from insertion_core.plugins import get_plugin_manager

from .conftest import AS_OF_DAY, programme_with
from .webhooks import Webhook, serving


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    with serving(status=503) as server:
        yield server


def test_two_cron_runs_send_each_notice_once_through_smtp_and_a_recovering_webhook(
    tmp_path: Path,
    gonesse_data: Path,
    inbox: tuple[Inbox, int],
    webhook: Webhook,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handler, port = inbox
    monkeypatch.setenv("GONESSE_WEBHOOK_SECRET", "shared-secret")
    programme = tmp_path / "programme.toml"
    programme.write_text(
        programme_with(
            f'[notify.smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "notices@example.org"\n'
            'to = "equipe@example.org"\n\n'
            f'[notify.webhook]\nurl = "{webhook.url}"\n'
            'secret_env = "GONESSE_WEBHOOK_SECRET"\n'
        ),
        encoding="utf-8",
    )
    cli = make_cli(get_plugin_manager())
    db = f"sqlite:///{tmp_path / 'gonesse.db'}"

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    assert run("init").exit_code == 0
    assert run("programme", "load", str(programme)).exit_code == 0
    assert run("import", "--programme", "gonesse", str(gonesse_data)).exit_code == 0
    due = json.loads(
        run(
            "followups",
            "due",
            "--programme",
            "gonesse",
            "--as-of",
            AS_OF_DAY.isoformat(),
            "--format",
            "json",
        ).stdout
    )
    at_risk = json.loads(
        run(
            "followups",
            "at-risk",
            "--programme",
            "gonesse",
            "--as-of",
            AS_OF_DAY.isoformat(),
            "--format",
            "json",
        ).stdout
    )
    expected = len(due) + len(at_risk)
    assert due and at_risk

    now = [dt.datetime(2026, 11, 25, 7, tzinfo=dt.UTC)]
    monkeypatch.setattr(service, "utcnow", lambda: now[0])
    notify = ("notify", "--programme", "gonesse", "--as-of", AS_OF_DAY.isoformat())

    first = run(*notify)
    assert first.exit_code == 1  # a failure this run: cron must see it
    assert first.stdout == f"Notices: {expected} sent, {expected} failed, 0 already sent\n"
    assert "failed: webhook:" in first.stderr and "webhook answered HTTP 503" in first.stderr
    assert first.stderr.count("webhook answered HTTP 503") == expected  # once each, not waiting too
    assert "waiting:" not in first.stderr
    assert "retry after 2026-11-25 07:05 UTC" in first.stderr

    webhook.status = 204
    now[0] = dt.datetime(2026, 11, 25, 8, tzinfo=dt.UTC)
    second = run(*notify)
    assert second.exit_code == 0
    assert second.stdout == f"Notices: {expected} sent, 0 failed, {expected} already sent\n"
    assert second.stderr == ""

    message_ids = [m["Message-ID"] for m in handler.messages]
    assert len(message_ids) == len(set(message_ids)) == expected
    failed = [key for status, key, _ in webhook.calls if status == 503]
    delivered = [key for status, key, _ in webhook.calls if status == 204]
    assert len(delivered) == len(set(delivered)) == expected
    assert sorted(failed) == sorted(delivered)  # retried with the same idempotency key
    participants = {body["participant"] for _, _, body in webhook.calls}
    assert participants == {d["participant_id"] for d in due} | {
        r["participant_id"] for r in at_risk
    }
