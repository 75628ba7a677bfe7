"""A notice sent or failed is in the audit journal, in the transaction of its ledger entry."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from insertion_core import Workspace
from insertion_core.notify.service import send_due_notices

from .conftest import AS_OF_DAY, Channels

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)


def notice_lines(workspace: Workspace) -> list[tuple[str, str, str | None, int]]:
    return [
        (line.entry.actor, line.entry.operation, line.participant_id, line.entry.counts["attempts"])
        for line in workspace.audit_trail("gonesse")
        if line.entry.operation.startswith("notice.")
    ]


def test_each_notice_sent_or_failed_is_recorded_once_with_its_participant(
    gonesse: Workspace, channels: Channels
) -> None:
    channels.by_name["second"].failing = ConnectionRefusedError("connection refused")
    robot = gonesse.acting_as("cron-notify")
    run = send_due_notices(robot, "gonesse", as_of=AS_OF_DAY, clock=lambda: NOW)
    lines = notice_lines(gonesse)
    assert Counter(operation for _, operation, _, _ in lines) == {
        "notice.sent": len(run.sent),
        "notice.failed": len(run.failed),
    }
    assert {actor for actor, *_ in lines} == {"cron-notify"}
    assert sorted(ref for _, op, ref, _ in lines if op == "notice.sent") == sorted(
        a.notice.participant_ref for a in run.sent
    )
    assert {attempts for *_, attempts in lines} == {1}
    again = send_due_notices(robot, "gonesse", as_of=AS_OF_DAY, clock=lambda: NOW)
    assert again.sent == [] and again.failed == []  # nothing attempted: nothing recorded
    assert notice_lines(gonesse) == lines
