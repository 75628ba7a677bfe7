"""Sending due notices exactly once, retrying failures, never leaking personal data."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from insertion_core import ConfigError, Workspace
from insertion_core.notify import LedgerStatus, RetryPolicy
from insertion_core.notify.ledger import LedgerEntry
from insertion_core.notify.service import Clock, send_due_notices

from .conftest import AS_OF_DAY, Channels, programme_with, store_unchecked

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def at(moment: dt.datetime) -> Clock:
    """A clock stopped at ``moment``."""
    return lambda: moment


def expected_keys(workspace: Workspace) -> set[str]:
    due = workspace.due_checkins("gonesse", as_of=AS_OF_DAY)
    risks = workspace.at_risk("gonesse", as_of=AS_OF_DAY)
    assert due and risks, "the Gonesse data must have check-ins due and participants at risk"
    return {f"{d.participant_id}/{d.checkpoint_months}" for d in due} | {
        r.participant_id for r in risks
    }


def sent_keys(channels: Channels, name: str) -> list[str]:
    keys = []
    for _, notice in channels.by_name[name].sent:
        ref = notice.participant_ref
        keys.append(
            ref if notice.checkpoint_months is None else f"{ref}/{notice.checkpoint_months}"
        )
    return keys


def test_each_due_notice_is_sent_once_per_channel_over_repeated_runs(
    gonesse: Workspace, channels: Channels
) -> None:
    first = send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW))
    again = send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW + HOUR))
    expected = expected_keys(gonesse)
    for name in ("first", "second"):
        keys = sent_keys(channels, name)
        assert sorted(keys) == sorted(expected)  # every notice, none twice
    assert len(first.sent) == 2 * len(expected)
    assert again.sent == [] and again.failed == []
    assert again.already_sent == 2 * len(expected)


def test_notice_ids_are_stable_and_differ_by_channel(
    gonesse: Workspace, channels: Channels
) -> None:
    send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW))
    first = {n.key: i for i, n in channels.by_name["first"].sent}
    second = {n.key: i for i, n in channels.by_name["second"].sent}
    assert first.keys() == second.keys()
    assert all(first[k] != second[k] for k in first)
    notice = channels.by_name["first"].sent[0][1]
    assert notice.id_for("first") == first[notice.key]


def test_a_failing_channel_is_retried_with_backoff_and_does_not_stop_the_other(
    gonesse: Workspace, channels: Channels
) -> None:
    channels.by_name["second"].failing = ConnectionRefusedError("connection refused")
    run = send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW))
    expected = expected_keys(gonesse)
    assert len(sent_keys(channels, "first")) == len(expected)
    assert {a.channel for a in run.failed} == {"second"}
    entry = run.failed[0].entry
    assert entry.status is LedgerStatus.RETRYING
    assert entry.last_error == "ConnectionRefusedError: connection refused"
    assert entry.next_attempt_at == NOW + RetryPolicy().first_delay

    early = send_due_notices(
        gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW + dt.timedelta(minutes=1))
    )
    assert early.sent == [] and early.failed == []
    assert len(early.waiting) == len(expected)  # shown, not forgotten

    channels.by_name["second"].failing = None
    later = send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW + HOUR))
    assert {a.channel for a in later.sent} == {"second"}
    assert sorted(sent_keys(channels, "second")) == sorted(expected)
    assert len(sent_keys(channels, "first")) == len(expected)  # nothing sent twice


def test_a_channel_that_keeps_failing_is_given_up_and_shown(
    gonesse: Workspace, channels: Channels
) -> None:
    channels.by_name["second"].failing = TimeoutError("timed out")
    policy = RetryPolicy(max_attempts=2)
    moment = NOW
    for _ in range(3):
        result = send_due_notices(
            gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(moment), policy=policy
        )
        moment += dt.timedelta(days=1)
    assert result.sent == [] and result.failed == []
    assert result.given_up and all(e.attempts == 2 for e in result.given_up)
    assert all(e.status is LedgerStatus.FAILED for e in result.given_up)


def test_a_notice_left_sending_by_a_crash_is_sent_again_with_the_same_id(
    gonesse: Workspace, channels: Channels
) -> None:
    channels.by_name["first"].failing = KeyboardInterrupt()  # the process dies mid-send
    with pytest.raises(KeyboardInterrupt):
        send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW))
    with gonesse.storage.unit_of_work() as uow:
        [in_flight] = uow.notices.unsettled("gonesse")
    assert in_flight.status is LedgerStatus.SENDING and in_flight.channel == "first"

    channels.by_name["first"].failing = None
    send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW + HOUR))
    ids = [i for i, _ in channels.by_name["first"].sent]
    assert in_flight.notice_id in ids
    assert len(ids) == len(set(ids)) == len(expected_keys(gonesse))


def test_no_name_email_or_phone_reaches_a_notice_or_a_log_line_by_default(
    gonesse: Workspace,
    channels: Channels,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=at(NOW))
    personal = []
    with gonesse.storage.unit_of_work() as uow:
        for _, notice in channels.by_name["first"].sent:
            data = uow.personal.get("gonesse", notice.participant_ref)
            assert data is not None and data.email and data.phone and data.last_name
            personal.append(data)
    texts = [n.subject + "\n" + n.body + repr(n) for _, n in channels.by_name["first"].sent]
    texts += [caplog.text, *capsys.readouterr()]
    for data in personal:
        for value in (data.first_name, data.last_name, data.email, data.phone):
            assert value and not any(value in text for text in texts), value
    # the channel configured with include_names = true does get them
    named = "\n".join(n.body for _, n in channels.by_name["second"].sent)
    assert all(f"{d.first_name} {d.last_name}" in named for d in personal)


def test_without_notify_tables_the_console_channel_is_used(
    manager: object, gonesse_data: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from insertion_core.importing import import_directory

    with Workspace.open("memory://plain") as workspace:
        workspace.save_programme(programme_with(""))
        import_directory(workspace, "gonesse", gonesse_data, today=AS_OF_DAY)  # type: ignore[arg-type]
        result = send_due_notices(workspace, "gonesse", as_of=AS_OF_DAY, clock=at(NOW))
    assert {a.channel for a in result.sent} == {"console"}
    out = capsys.readouterr().out
    assert "Point d'étape" in out and "Risque de décrochage" in out


def test_an_unknown_channel_is_a_config_error_naming_it(manager: object) -> None:
    text = programme_with("[notify.pigeon]\n")
    problem = (
        "[notify.pigeon]: no notifier plugin named 'pigeon' (installed: console, first, second)"
    )
    with Workspace.open("memory://bad", plugin_manager=manager) as workspace:  # type: ignore[arg-type]
        with pytest.raises(ConfigError) as refused:
            workspace.save_programme(text, "gonesse.toml")  # refused when loaded...
        assert str(refused.value) == f"gonesse.toml: {problem}"
        store_unchecked(workspace, text)  # ...and when stored by an older version
        with pytest.raises(ConfigError) as caught:
            send_due_notices(workspace, "gonesse", as_of=AS_OF_DAY, clock=at(NOW))
    assert str(caught.value) == f"programme gonesse: {problem}"


def test_retry_policy_backs_off_exponentially_then_gives_up() -> None:
    policy = RetryPolicy(max_attempts=3, first_delay=dt.timedelta(minutes=5), factor=3)
    entry = LedgerEntry("n", "p", "c", "k", LedgerStatus.SENDING)
    assert policy.is_due(None, NOW) and policy.is_due(entry, NOW)
    delays = []
    for _ in range(3):
        entry = policy.failed(policy.sending(entry, NOW, "run", HOUR), "boom", NOW)
        delays.append(entry.next_attempt_at)
    assert delays == [NOW + dt.timedelta(minutes=5), NOW + dt.timedelta(minutes=15), None]
    assert entry.status is LedgerStatus.FAILED and entry.attempts == 3
    assert not policy.is_due(entry, NOW + dt.timedelta(days=30))
    sent = policy.sent(policy.sending(entry, NOW, "run", HOUR), NOW)
    assert sent.status is LedgerStatus.SENT and not policy.is_due(sent, NOW)
