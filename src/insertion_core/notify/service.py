"""Sending the notices that are due, exactly once per channel, through the ledger.

Notices are recomputed from the data on every run; the ledger only says which
were handled. Each attempt is bracketed by two short transactions: a claim
before (``sending``, leased to this run for longer than the channel's
deadline) and the result after, each a compare-and-swap, so concurrent runs
on one host or several never attempt one notice at once, and a crash leaves
at most the notice in flight, re-sent with the same id once its lease ends.
A transaction that finds the database busy is run again. One failing
channel never stops the others.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..audit import record
from ..clock import today_in
from ..domain.model import PersonalData
from ..domain.programme import Programme
from ..errors import ConfigError
from ..outcomes import AtRisk, DueCheckin
from .busy import BusyRetry
from .deadline import deadline_of
from .ledger import LedgerEntry, LedgerStatus, RetryPolicy
from .notice import Notice, NoticeKind
from .notifier import Notifier

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = [
    "Attempt",
    "Channel",
    "Clock",
    "NotifyResult",
    "channels_for",
    "notices_for",
    "run_owner",
    "send_due_notices",
    "utcnow",
]

DEFAULT_CHANNELS: Mapping[str, Mapping[str, Any]] = {"console": {}}

#: Where a run reads the time: now, timezone-aware.
Clock = Callable[[], dt.datetime]


def notices_for(
    programme: Programme, due: Iterable[DueCheckin], risks: Iterable[AtRisk], as_of: dt.date
) -> list[Notice]:
    """One notice per due or overdue check-in, and one per participant at risk per week."""
    notices = [
        Notice(
            programme_id=programme.id,
            kind=NoticeKind.CHECKIN_DUE if d.status == "due" else NoticeKind.CHECKIN_OVERDUE,
            participant_ref=d.participant_id,
            on=d.due_date,
            counsellor=d.counsellor,
            checkpoint_months=d.checkpoint_months,
            locale=programme.locale,
        )
        for d in due
    ]
    week = as_of - dt.timedelta(days=as_of.weekday())
    notices.extend(
        Notice(
            programme_id=programme.id,
            kind=NoticeKind.AT_RISK,
            participant_ref=r.participant_id,
            on=week,
            counsellor=r.counsellor,
            locale=programme.locale,
        )
        for r in risks
    )
    return notices


@attrs.frozen
class Channel:
    """A channel the programme configures: its notifier, its settings, its attempt deadline."""

    name: str
    notifier: Notifier
    settings: Mapping[str, Any]
    deadline: dt.timedelta


def channels_for(programme: Programme, notifiers: Mapping[str, Notifier]) -> list[Channel]:
    """The channels a programme's ``[notify.<name>]`` tables configure (console when none)."""
    tables: Mapping[str, Any] = programme.plugin_config.get("notify", {})
    channels: list[Channel] = []
    for name, settings in (tables or DEFAULT_CHANNELS).items():
        if name not in notifiers:
            raise ConfigError(
                f"programme {programme.id}: [notify.{name}]: no notifier plugin named {name!r} "
                f"(installed: {', '.join(sorted(notifiers)) or 'none'})"
            )
        if not isinstance(settings, Mapping):
            raise ConfigError(f"programme {programme.id}: notify.{name}: expected a table")
        try:
            seconds = deadline_of(settings, name)
        except ConfigError as error:
            raise ConfigError(f"programme {programme.id}: {error}") from None
        channels.append(Channel(name, notifiers[name], settings, dt.timedelta(seconds=seconds)))
    return channels


@attrs.frozen
class Attempt:
    """What happened to one notice on one channel during a run."""

    notice: Notice
    channel: str
    entry: LedgerEntry
    sent_now: bool


@attrs.define
class NotifyResult:
    """A run of ``insertion notify``: what was sent, skipped and failed."""

    sent: list[Attempt] = attrs.Factory(list)
    failed: list[Attempt] = attrs.Factory(list)
    already_sent: int = 0
    in_flight: list[LedgerEntry] = attrs.Factory(list)
    """Notices another run is sending (its lease has not ended): left to it."""
    overtaken: list[Attempt] = attrs.Factory(list)
    """Attempts that outlived their lease: another run took the notice over meanwhile."""
    waiting: list[LedgerEntry] = attrs.Factory(list)
    """Notices that failed in an earlier run, waiting for their next attempt."""
    given_up: list[LedgerEntry] = attrs.Factory(list)
    """Notices given up in an earlier run (this run's are in ``failed``)."""

    @property
    def ok(self) -> bool:
        """True when no attempt of this run failed (``insertion notify`` exits 1 otherwise)."""
        return not self.failed


def utcnow() -> dt.datetime:
    """The current time in UTC: when attempts happen, leases end and retries fall due."""
    return dt.datetime.now(dt.UTC)


def run_owner() -> str:
    """A name for this run, unique across hosts: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


@attrs.frozen
class _Run:
    """What every attempt of one run shares."""

    workspace: Workspace
    retry: RetryPolicy
    clock: Clock
    owner: str
    busy: BusyRetry
    result: NotifyResult
    actor: str


def send_due_notices(
    workspace: Workspace,
    programme_id: str,
    *,
    as_of: dt.date | None = None,
    clock: Clock | None = None,
    policy: RetryPolicy | None = None,
    owner: str | None = None,
    busy: BusyRetry | None = None,
) -> NotifyResult:
    """Send every due reminder and at-risk alert not sent yet; safe to run from cron every hour.

    :param clock: where the time comes from (:func:`utcnow` by default).
    :param owner: this run's name in the ledger (:func:`run_owner` by default).
    :param busy: how a transaction that finds the database busy is run again.
    """
    run = _Run(
        workspace,
        RetryPolicy() if policy is None else policy,
        utcnow if clock is None else clock,
        run_owner() if owner is None else owner,
        BusyRetry() if busy is None else busy,
        NotifyResult(),
        workspace.actor,
    )
    programme = run.busy.run(lambda: workspace.programme(programme_id))
    day = today_in(programme.timezone) if as_of is None else as_of
    channels = channels_for(programme, workspace.hooks.notifiers())
    notices = run.busy.run(
        lambda: notices_for(
            programme,
            workspace.due_checkins(programme_id, as_of=day),
            workspace.at_risk(programme_id, as_of=day),
            day,
        )
    )
    for notice in notices:
        for channel in channels:
            _attempt(run, notice, channel)
    run.busy.run(lambda: _summarise(run, programme_id))
    return run.result


@attrs.frozen
class _Claim:
    """The outcome of trying to claim a notice: the entry as claimed, or as found."""

    entry: LedgerEntry | None
    claimed: bool
    personal: PersonalData | None = None


def _attempt(run: _Run, notice: Notice, channel: Channel) -> None:
    notice_id = notice.id_for(channel.name)
    claim = run.busy.run(lambda: _claim(run, notice, notice_id, channel))
    if not claim.claimed or claim.entry is None:
        if claim.entry is not None and claim.entry.status is LedgerStatus.SENT:
            run.result.already_sent += 1
        elif claim.entry is not None and claim.entry.is_leased(run.clock()):
            run.result.in_flight.append(claim.entry)
        return
    claimed = claim.entry
    outgoing = notice if claim.personal is None else attrs.evolve(notice, personal=claim.personal)
    try:
        channel.notifier.send(outgoing, notice_id, channel.settings)
    except Exception as error:  # any channel failure is recorded and retried later
        settled = run.retry.failed(claimed, f"{type(error).__name__}: {error}", run.clock())
    else:
        settled = run.retry.sent(claimed, run.clock())
    attempt = Attempt(notice, channel.name, settled, sent_now=settled.status is LedgerStatus.SENT)
    (run.result.sent if attempt.sent_now else run.result.failed).append(attempt)
    if not run.busy.run(lambda: _settle(run, notice, settled, claimed)):
        run.result.overtaken.append(attempt)


def _claim(run: _Run, notice: Notice, notice_id: str, channel: Channel) -> _Claim:
    """One short transaction: take the notice for this run if it is due and nobody holds it."""
    now = run.clock()
    with run.workspace.storage.unit_of_work() as uow:
        entry = uow.notices.get(notice_id)
        if not run.retry.is_due(entry, now):
            return _Claim(entry, claimed=False)
        if entry is None:
            fresh = LedgerEntry(
                notice_id, notice.programme_id, channel.name, notice.key, LedgerStatus.SENDING
            )
        else:
            fresh = entry
        lease = run.retry.lease(channel.deadline)
        claimed = run.retry.sending(fresh, now, run.owner, lease)
        if not uow.notices.compare_and_swap(claimed, entry):
            return _Claim(uow.notices.get(notice_id), claimed=False)  # another run was quicker
        personal = None
        if channel.settings.get("include_names", False):
            personal = uow.personal.get(notice.programme_id, notice.participant_ref)
        uow.commit()
    return _Claim(claimed, claimed=True, personal=personal)


def _settle(run: _Run, notice: Notice, settled: LedgerEntry, claimed: LedgerEntry) -> bool:
    """One short transaction: record the attempt's result, unless another run took the notice.

    The result goes into the audit journal too (``notice.sent`` or ``notice.failed``),
    in the same transaction.
    """
    with run.workspace.storage.unit_of_work() as uow:
        kept = uow.notices.compare_and_swap(settled, claimed)
        if kept:
            record(
                uow,
                run.actor,
                "notice.sent" if settled.status is LedgerStatus.SENT else "notice.failed",
                notice.programme_id,
                notice.participant_ref,
                {"attempts": settled.attempts},
            )
        uow.commit()
    return kept


def _summarise(run: _Run, programme_id: str) -> None:
    """What is waiting for a retry and what was given up, so that nothing is forgotten.

    A notice that failed in this run is in :attr:`NotifyResult.failed` and
    nowhere else, so that every notice is counted once.
    """
    now = run.clock()
    waiting: list[LedgerEntry] = []
    given_up: list[LedgerEntry] = []
    failed_now = {attempt.entry.notice_id for attempt in run.result.failed}
    with run.workspace.storage.unit_of_work(read_only=True) as uow:
        for entry in uow.notices.unsettled(programme_id):
            if entry.notice_id in failed_now:
                continue
            if entry.status is LedgerStatus.FAILED:
                given_up.append(entry)
            elif entry.status is LedgerStatus.RETRYING and not run.retry.is_due(entry, now):
                waiting.append(entry)
    run.result.waiting[:] = waiting
    run.result.given_up[:] = given_up
