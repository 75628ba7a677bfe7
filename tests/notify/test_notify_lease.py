"""The lease: a notice another run is sending is left to it until its lease ends, then re-sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs
import pytest

from insertion_core import ConfigError, Workspace
from insertion_core.importing import import_directory
from insertion_core.notify import LedgerEntry, LedgerStatus, RetryPolicy
from insertion_core.notify.service import notices_for, send_due_notices

from .conftest import AS_OF_DAY, Channels, programme_with, store_unchecked

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
OTHER = "other-host:4242:0badf00d"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def held(gonesse: Workspace) -> Iterator[LedgerEntry]:
    """The first notice on channel ``first``, claimed by another run until NOW + 1 minute."""
    programme = gonesse.programme("gonesse")
    notice = notices_for(
        programme,
        gonesse.due_checkins("gonesse", as_of=AS_OF_DAY),
        gonesse.at_risk("gonesse", as_of=AS_OF_DAY),
        AS_OF_DAY,
    )[0]
    entry = LedgerEntry(
        notice.id_for("first"),
        "gonesse",
        "first",
        notice.key,
        LedgerStatus.SENDING,
        attempts=1,
        updated_at=NOW - MINUTE,
        owner=OTHER,
        lease_until=NOW + MINUTE,
    )
    with gonesse.storage.unit_of_work() as uow:
        uow.notices.save(entry)
        uow.commit()
    yield entry


def ledger(workspace: Workspace, notice_id: str) -> LedgerEntry | None:
    with workspace.storage.unit_of_work() as uow:
        return uow.notices.get(notice_id)


def test_a_notice_another_run_holds_is_left_to_it_until_its_lease_ends(
    gonesse: Workspace, channels: Channels, held: LedgerEntry, clock: Clock
) -> None:
    first = channels.by_name["first"]
    run = send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=clock, owner="this-run")
    assert run.in_flight == [held]
    assert held.notice_id not in [i for i, _ in first.sent]
    assert len(first.sent) == len(channels.by_name["second"].sent) - 1
    assert ledger(gonesse, held.notice_id) == held  # untouched

    clock.now = NOW + MINUTE - dt.timedelta(seconds=1)
    again = send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=clock, owner="this-run")
    assert again.in_flight == [held] and again.sent == []


def test_a_notice_whose_lease_has_ended_is_sent_again_with_the_same_id(
    gonesse: Workspace, channels: Channels, held: LedgerEntry, clock: Clock
) -> None:
    clock.now = NOW + MINUTE  # the other run died: its lease has ended
    run = send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=clock, owner="this-run")
    assert run.in_flight == []
    ids = [i for i, _ in channels.by_name["first"].sent]
    assert ids.count(held.notice_id) == 1 and len(ids) == len(set(ids))
    entry = ledger(gonesse, held.notice_id)
    assert entry is not None
    assert (entry.status, entry.attempts, entry.owner) == (LedgerStatus.SENT, 2, "this-run")


def test_a_claim_is_leased_for_the_channel_deadline_plus_the_margin(
    manager: object, gonesse_data: object, channels: Channels, clock: Clock
) -> None:
    seen: list[LedgerEntry | None] = []
    with Workspace.open("memory://lease", plugin_manager=manager) as workspace:  # type: ignore[arg-type]
        workspace.save_programme(programme_with("[notify.first]\ndeadline = 5\n"))
        import_directory(workspace, "gonesse", gonesse_data, today=AS_OF_DAY)  # type: ignore[arg-type]
        channels.by_name["first"].during = lambda notice_id: seen.append(
            ledger(workspace, notice_id)
        )
        policy = RetryPolicy(lease_margin=dt.timedelta(minutes=2))
        send_due_notices(
            workspace, "gonesse", as_of=AS_OF_DAY, clock=clock, owner="this-run", policy=policy
        )
    assert seen and all(
        e is not None
        and (e.status, e.owner, e.attempts) == (LedgerStatus.SENDING, "this-run", 1)
        and e.lease_until == NOW + dt.timedelta(seconds=5, minutes=2)
        for e in seen
    )


def test_an_attempt_that_outlives_its_lease_does_not_overwrite_the_run_that_took_over(
    gonesse: Workspace, channels: Channels, clock: Clock
) -> None:
    first = channels.by_name["first"]
    taken_over: list[str] = []

    def stall_then_let_another_run_take_over(notice_id: str) -> None:
        if taken_over:
            return
        taken_over.append(notice_id)
        clock.now = NOW + dt.timedelta(hours=1)  # far past the lease
        send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=clock, owner="later-run")

    first.during = stall_then_let_another_run_take_over
    run = send_due_notices(gonesse, "gonesse", as_of=AS_OF_DAY, clock=clock, owner="slow-run")
    [stalled] = taken_over
    assert [(a.channel, a.notice.id_for("first")) for a in run.overtaken] == [("first", stalled)]
    entry = ledger(gonesse, stalled)
    assert entry is not None and entry.owner == "later-run" and entry.status is LedgerStatus.SENT
    # both runs sent the stalled notice, with the same id; every other one went once
    ids = [i for i, _ in first.sent]
    assert ids.count(stalled) == 2
    assert len(ids) == len(set(ids)) + 1


@pytest.mark.parametrize("deadline", ['"soon"', "0", "601", "true"])
def test_a_bad_deadline_is_a_config_error_before_anything_is_sent(
    manager: object, channels: Channels, deadline: str
) -> None:
    text = programme_with(f"[notify.first]\ndeadline = {deadline}\n")
    shown = {'"soon"': "'soon'", "0": "0", "601": "601", "true": "True"}[deadline]
    problem = f"deadline: expected a number of seconds above 0 and at most 600, got {shown}"
    with Workspace.open("memory://bad", plugin_manager=manager) as workspace:  # type: ignore[arg-type]
        with pytest.raises(ConfigError) as refused:
            workspace.save_programme(text, "gonesse.toml")  # refused when loaded...
        assert str(refused.value) == f"gonesse.toml: [notify.first]: {problem}"
        store_unchecked(workspace, text)  # ...and when stored by an older version
        with pytest.raises(ConfigError) as caught:
            send_due_notices(workspace, "gonesse", as_of=AS_OF_DAY)
    assert str(caught.value) == f"programme gonesse: [notify.first]: {problem}"
    assert channels.by_name["first"].sent == []


def test_is_due_respects_the_lease_and_a_lease_less_sending_entry_is_a_crash() -> None:
    policy = RetryPolicy()
    entry = LedgerEntry("n", "p", "c", "k", LedgerStatus.SENDING, attempts=1)
    assert policy.is_due(entry, NOW)  # left by a version without leases
    leased = attrs.evolve(entry, owner=OTHER, lease_until=NOW + MINUTE)
    assert not policy.is_due(leased, NOW) and leased.is_leased(NOW)
    assert policy.is_due(leased, NOW + MINUTE) and not leased.is_leased(NOW + MINUTE)
    assert policy.lease(dt.timedelta(seconds=30)) == dt.timedelta(seconds=30) + policy.lease_margin
