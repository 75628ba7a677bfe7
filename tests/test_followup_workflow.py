"""Follow-up as counsellors live it, through the Workspace: check-ins come due and are closed
by the contacts they record; absences flag participants at risk under the programme's rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from insertion_core import Exit, FollowUpContact, Participant, Situation, Workspace
from insertion_core.domain import AttendanceRecord, AttendanceStatus, ExitReason, HalfDay

D = dt.date

PROGRAMME = """
[programme]
id = "site"
name = "Site"

[followup]
months = 6
checkpoints = [1, 3, 6]
grace_days = 10
overdue_days = 30

[attendance]
at_risk_absences = {absences}
at_risk_days = {days}

[outcomes]
positive = ["employment", "training"]
"""


def site(absences: int = 3, days: int = 14) -> Iterator[Workspace]:
    with Workspace.open("memory://") as workspace:
        workspace.save_programme(PROGRAMME.format(absences=absences, days=days))
        yield workspace


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    yield from site()


def enrol(ws: Workspace, pid: str, counsellor: str, exit_on: dt.date | None = None) -> None:
    ws.enrol("site", Participant(pid, "C1", D(2026, 1, 12), counsellor=counsellor))
    if exit_on is not None:
        ws.record_exit("site", pid, Exit(exit_on, ExitReason.COMPLETED, Situation("job_search")))


def listed(ws: Workspace, as_of: dt.date, **options: object) -> list[tuple[str, int, str]]:
    due = ws.due_checkins("site", as_of=as_of, **options)  # type: ignore[arg-type]
    return [(d.participant_id, d.checkpoint_months, d.status) for d in due]


def test_a_check_in_is_due_then_overdue_then_dropped(workspace: Workspace) -> None:
    enrol(workspace, "A", "cip-1", exit_on=D(2026, 6, 5))  # 1-month check-in due 2026-07-05
    assert listed(workspace, D(2026, 6, 24)) == []  # more than grace_days before
    assert listed(workspace, D(2026, 6, 25)) == [("A", 1, "due")]
    assert listed(workspace, D(2026, 7, 15)) == [("A", 1, "due")]  # due + grace
    assert listed(workspace, D(2026, 7, 16)) == [("A", 1, "overdue")]
    assert listed(workspace, D(2026, 8, 14)) == [("A", 1, "overdue")]  # due + grace + overdue
    assert listed(workspace, D(2026, 8, 15)) == []


def test_recording_the_contact_closes_the_check_in(workspace: Workspace) -> None:
    enrol(workspace, "A", "cip-1", exit_on=D(2026, 6, 5))
    workspace.record_followup("site", "A", FollowUpContact(D(2026, 7, 20), Situation("training")))
    assert listed(workspace, D(2026, 7, 25)) == []  # done late still closes it
    assert listed(workspace, D(2026, 8, 26)) == [("A", 3, "due")]


def test_an_unreachable_attempt_closes_the_check_in_too(workspace: Workspace) -> None:
    enrol(workspace, "A", "cip-1", exit_on=D(2026, 6, 5))
    workspace.record_followup("site", "A", FollowUpContact(D(2026, 7, 3), Situation("unreachable")))
    assert listed(workspace, D(2026, 7, 10)) == []


def test_each_counsellor_sees_their_own_caseload(workspace: Workspace) -> None:
    enrol(workspace, "A", "cip-1", exit_on=D(2026, 6, 5))
    enrol(workspace, "B", "cip-2", exit_on=D(2026, 6, 8))
    enrol(workspace, "C", "cip-2", exit_on=D(2026, 5, 1))  # its 1-month check-in is overdue
    as_of = D(2026, 7, 1)
    assert listed(workspace, as_of) == [("C", 1, "overdue"), ("A", 1, "due"), ("B", 1, "due")]
    assert listed(workspace, as_of, counsellor="cip-2") == [("C", 1, "overdue"), ("B", 1, "due")]
    assert listed(workspace, as_of, overdue_only=True) == [("C", 1, "overdue")]


def absent(day: int, half: HalfDay | None = None, status: str = "absent") -> AttendanceRecord:
    return AttendanceRecord(D(2026, 3, day), AttendanceStatus(status), half)


def at_risk(ws: Workspace, day: int) -> list[tuple[str, int]]:
    return [(r.participant_id, r.absences) for r in ws.at_risk("site", as_of=D(2026, 3, day))]


def test_three_unexcused_half_days_in_fourteen_days_flag_a_participant(
    workspace: Workspace,
) -> None:
    enrol(workspace, "A", "cip-1")
    for record in (
        absent(2, HalfDay.AM),
        absent(9, HalfDay.PM),
        absent(10, status="excused"),
        absent(11, status="late"),
        absent(12, status="present"),
    ):
        workspace.record_attendance("site", "A", record)
    assert at_risk(workspace, 12) == []  # two unexcused half-days so far
    workspace.record_attendance("site", "A", absent(13, HalfDay.AM))
    assert at_risk(workspace, 13) == [("A", 3)]
    assert at_risk(workspace, 15) == [("A", 3)]  # 2 March is the window's first day
    assert at_risk(workspace, 16) == []  # 2 March has left the window


def test_a_whole_day_counts_twice_and_a_correction_replaces_it(workspace: Workspace) -> None:
    enrol(workspace, "A", "cip-1")
    workspace.record_attendance("site", "A", absent(4))
    workspace.record_attendance("site", "A", absent(5, HalfDay.AM))
    assert at_risk(workspace, 6) == [("A", 3)]
    workspace.record_attendance("site", "A", absent(4, status="excused"))  # a note came in
    assert at_risk(workspace, 6) == []


def test_the_rule_comes_from_the_programme_file() -> None:
    for workspace in site(absences=1, days=2):
        enrol(workspace, "A", "cip-1")
        workspace.record_attendance("site", "A", absent(4, HalfDay.PM))
        assert at_risk(workspace, 5) == [("A", 1)]
        assert at_risk(workspace, 6) == []


def test_a_participant_who_left_is_not_at_risk(workspace: Workspace) -> None:
    enrol(workspace, "A", "cip-1")
    workspace.record_attendance("site", "A", absent(4))
    workspace.record_attendance("site", "A", absent(5))
    workspace.record_exit(
        "site", "A", Exit(D(2026, 3, 6), ExitReason.DROPOUT, Situation("inactive"))
    )
    assert at_risk(workspace, 5) == [("A", 4)]
    assert at_risk(workspace, 6) == []
