"""Through the real webhook plugin: a redirect and a slow-drip endpoint are failures, retried later."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from insertion_core import Workspace
from insertion_core.notify import LedgerStatus
from insertion_core.notify.service import send_due_notices
from insertion_core.notify.testing import SlowDripServer
from insertion_core.plugins import get_plugin_manager

from .conftest import SITE_AS_OF, small_site
from .webhooks import serving

NOW = dt.datetime(2026, 7, 5, 7, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_WEBHOOK_SECRET", "shared-secret")


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    with Workspace.open("memory://webhook", plugin_manager=get_plugin_manager()) as workspace:
        yield workspace


def channel(url: str, deadline: float = 5) -> str:
    return (
        f'[notify.webhook]\nurl = "{url}"\nsecret_env = "SITE_WEBHOOK_SECRET"\n'
        f"deadline = {deadline}\n"
    )


def test_a_redirect_fails_the_notice_and_the_target_receives_nothing(
    workspace: Workspace,
) -> None:
    with serving(status=302) as webhook, serving() as target:
        webhook.location = target.url
        small_site(workspace, 2, channel(webhook.url))
        result = send_due_notices(workspace, "site", as_of=SITE_AS_OF, clock=lambda: NOW)
    assert result.sent == [] and len(result.failed) == 2
    for attempt in result.failed:
        assert attempt.entry.status is LedgerStatus.RETRYING
        assert attempt.entry.last_error == (
            "WebhookError: webhook answered HTTP 302 (a redirect, not followed: "
            "set url to the address that takes the POST)"
        )
        assert attempt.entry.next_attempt_at == NOW + dt.timedelta(minutes=5)
    assert len(webhook.calls) == 2
    assert target.calls == [] and target.other == 0


def test_a_slow_drip_endpoint_is_cut_at_the_deadline_and_the_notice_failed(
    workspace: Workspace,
) -> None:
    answer = b"HTTP/1.1 204 No Content\r\n\r\n"  # 5.4 s at a byte per 0.2 s
    with SlowDripServer(answer, interval=0.2) as drip:
        small_site(workspace, 2, channel(f"http://127.0.0.1:{drip.port}/notices", deadline=0.5))
        started = time.monotonic()
        result = send_due_notices(workspace, "site", as_of=SITE_AS_OF, clock=lambda: NOW)
        elapsed = time.monotonic() - started
    assert drip.connections == 2
    assert 1.0 <= elapsed < 2.5  # two attempts of 0.5 s each
    assert result.sent == [] and len(result.failed) == 2
    assert {a.entry.last_error for a in result.failed} == {
        "DeadlineExceeded: no complete answer within the 0.5 s deadline"
    }
    assert {a.entry.status for a in result.failed} == {LedgerStatus.RETRYING}
