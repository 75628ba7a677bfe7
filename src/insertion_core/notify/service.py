"""Sending the notices that are due, exactly once per channel, through the ledger.

Notices are recomputed from the data on every run; the ledger only says which
were handled. Each attempt is bracketed by two short transactions (``sending``
before, ``sent`` or the failure after), so a crash leaves at most the notice
in flight to be re-sent with the same id. One failing channel never stops
the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..clock import today_in
from ..domain.programme import Programme
from ..errors import ConfigError
from ..outcomes import AtRisk, DueCheckin
from .ledger import LedgerEntry, LedgerStatus, RetryPolicy
from .notice import Notice, NoticeKind
from .notifier import Notifier

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["Attempt", "NotifyResult", "channels_for", "notices_for", "send_due_notices"]

DEFAULT_CHANNELS: Mapping[str, Mapping[str, Any]] = {"console": {}}


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


def channels_for(
    programme: Programme, notifiers: Mapping[str, Notifier]
) -> dict[str, Mapping[str, Any]]:
    """The channels a programme's ``[notify.<name>]`` tables configure (console when none)."""
    tables: Mapping[str, Any] = programme.plugin_config.get("notify", {})
    channels: dict[str, Mapping[str, Any]] = {}
    for name, settings in (tables or DEFAULT_CHANNELS).items():
        if name not in notifiers:
            raise ConfigError(
                f"programme {programme.id}: [notify.{name}]: no notifier plugin named {name!r} "
                f"(installed: {', '.join(sorted(notifiers)) or 'none'})"
            )
        if not isinstance(settings, Mapping):
            raise ConfigError(f"programme {programme.id}: notify.{name}: expected a table")
        channels[name] = settings
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
    waiting: list[LedgerEntry] = attrs.Factory(list)
    given_up: list[LedgerEntry] = attrs.Factory(list)


def utcnow() -> dt.datetime:
    """The current time in UTC: when attempts happen and retries fall due."""
    return dt.datetime.now(dt.UTC)


def send_due_notices(
    workspace: Workspace,
    programme_id: str,
    *,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
    policy: RetryPolicy | None = None,
) -> NotifyResult:
    """Send every due reminder and at-risk alert not sent yet; safe to run from cron every hour."""
    programme = workspace.programme(programme_id)
    day = today_in(programme.timezone) if as_of is None else as_of
    moment = utcnow() if now is None else now
    retry = RetryPolicy() if policy is None else policy
    notifiers = workspace.hooks.notifiers()
    channels = channels_for(programme, notifiers)
    notices = notices_for(
        programme,
        workspace.due_checkins(programme_id, as_of=day),
        workspace.at_risk(programme_id, as_of=day),
        day,
    )
    result = NotifyResult()
    for notice in notices:
        for channel, settings in channels.items():
            _attempt(
                workspace, notice, channel, notifiers[channel], settings, retry, moment, result
            )
    with workspace.storage.unit_of_work(read_only=True) as uow:
        for entry in uow.notices.unsettled(programme_id):
            if entry.status is LedgerStatus.FAILED:
                result.given_up.append(entry)
            elif entry.status is LedgerStatus.RETRYING and not retry.is_due(entry, moment):
                result.waiting.append(entry)
    return result


def _attempt(
    workspace: Workspace,
    notice: Notice,
    channel: str,
    notifier: Notifier,
    settings: Mapping[str, Any],
    retry: RetryPolicy,
    now: dt.datetime,
    result: NotifyResult,
) -> None:
    notice_id = notice.id_for(channel)
    with workspace.storage.unit_of_work() as uow:
        entry = uow.notices.get(notice_id)
        if not retry.is_due(entry, now):
            if entry is not None and entry.status is LedgerStatus.SENT:
                result.already_sent += 1
            return
        if entry is None:
            entry = LedgerEntry(
                notice_id, notice.programme_id, channel, notice.key, LedgerStatus.SENDING
            )
        entry = retry.sending(entry, now)
        uow.notices.save(entry)
        personal = None
        if settings.get("include_names", False):
            personal = uow.personal.get(notice.programme_id, notice.participant_ref)
        uow.commit()
    outgoing = attrs.evolve(notice, personal=personal) if personal is not None else notice
    try:
        notifier.send(outgoing, notice_id, settings)
    except Exception as error:  # any channel failure is recorded and retried later
        entry = retry.failed(entry, f"{type(error).__name__}: {error}", now)
        result.failed.append(Attempt(notice, channel, entry, sent_now=False))
    else:
        entry = retry.sent(entry, now)
        result.sent.append(Attempt(notice, channel, entry, sent_now=True))
    with workspace.storage.unit_of_work() as uow:
        uow.notices.save(entry)
        uow.commit()
