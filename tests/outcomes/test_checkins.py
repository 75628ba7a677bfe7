"""Hand-computed check-in states, due lists and at-risk flags."""

from __future__ import annotations

import datetime as dt

import pytest

from insertion_core.domain.codes import AttendanceStatus, HalfDay
from insertion_core.domain.model import AttendanceRecord
from insertion_core.outcomes import CheckinStatus, at_risk, due_checkins

from .builders import day, facts, journey, programme

# exit 2024-01-31: the 1-month check-in is due 2024-02-29 (clamped); grace 10, overdue 30
P = programme(checkpoints=(1,), grace_days=10, overdue_days=30)


@pytest.mark.parametrize(
    ("contact", "status", "reached"),
    [
        ("2024-02-19", CheckinStatus.ON_TIME, True),  # due − grace
        ("2024-02-18", CheckinStatus.MISSING, False),
        ("2024-03-10", CheckinStatus.ON_TIME, True),  # due + grace
        ("2024-03-11", CheckinStatus.LATE, False),
        ("2024-04-09", CheckinStatus.LATE, False),  # due + grace + overdue
        ("2024-04-10", CheckinStatus.MISSING, False),
    ],
)
def test_checkin_status_at_range_ends(contact, status, reached):
    j = journey(exit="2024-01-31", contacts=((contact, "job_search"),))
    (checkin,) = facts(P, j, "2024-12-31").checkins
    assert (checkin.status, checkin.reached, checkin.assessed) == (status, reached, True)


def test_unreachable_contact_completes_but_does_not_reach():
    j = journey(exit="2024-01-31", contacts=(("2024-02-29", "unreachable"),))
    (checkin,) = facts(P, j, "2024-12-31").checkins
    assert checkin.status is CheckinStatus.ON_TIME and not checkin.reached


def test_checkin_is_assessed_once_due_plus_grace_is_past():
    j = journey(exit="2024-01-31")
    assert not facts(P, j, "2024-03-10").checkins[0].assessed
    assert facts(P, j, "2024-03-11").checkins[0].assessed


def test_destination_does_not_count_as_a_checkin():
    prog = programme(checkpoints=(1,), grace_days=40)
    j = journey(exit="2024-01-31", destination="employment")
    assert facts(prog, j, "2024-12-31").checkins[0].status is CheckinStatus.MISSING


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2024-02-18", None),  # before due − grace
        ("2024-02-19", "due"),
        ("2024-03-10", "due"),
        ("2024-03-11", "overdue"),
        ("2024-04-09", "overdue"),
        ("2024-04-10", None),  # dropped after due + grace + overdue
    ],
)
def test_due_status_by_date(as_of, status):
    listed = due_checkins(P, [journey(exit="2024-01-31", counsellor="c1")], day(as_of))
    assert [item.status for item in listed] == ([status] if status else [])
    if listed:
        assert listed[0].due_date == day("2024-02-29")
        assert listed[0].to_json_dict()["counsellor"] == "c1"


def test_late_contact_closes_and_contact_after_as_of_does_not():
    j = journey(exit="2024-01-31", contacts=(("2024-03-20", "job_search"),))
    assert due_checkins(P, [j], day("2024-03-25")) == []
    assert [i.status for i in due_checkins(P, [j], day("2024-03-15"))] == ["overdue"]


def test_one_contact_closes_every_checkin_whose_range_holds_it():
    prog = programme(checkpoints=(1, 2), grace_days=20, overdue_days=0)
    j = journey(exit="2024-01-15", contacts=(("2024-03-01", "job_search"),))
    # due 2024-02-15 [01-26, 03-06] and 2024-03-15 [02-24, 04-04]: the contact is in both
    assert due_checkins(prog, [j], day("2024-03-02")) == []
    assert [c.status for c in facts(prog, j, "2024-12-31").checkins] == [CheckinStatus.ON_TIME] * 2


def test_due_list_skips_neutralised_and_sorts_by_date_then_id():
    js = [
        journey("B", exit="2024-01-31"),
        journey("A", exit="2024-01-31"),
        journey("C", exit="2024-01-30"),
        journey("N", exit="2024-01-31", reason="neutralised"),
        journey("Z"),
    ]
    listed = due_checkins(P, js, day("2024-03-01"))
    assert [(i.participant_id, i.due_date.isoformat()) for i in listed] == [
        ("A", "2024-02-29"),
        ("B", "2024-02-29"),
        ("C", "2024-02-29"),
    ]
    assert "counsellor" not in listed[0].to_json_dict()


def _absent(date: str, half: HalfDay | None = None, status: str = "absent") -> AttendanceRecord:
    return AttendanceRecord(day(date), AttendanceStatus(status), half)


def test_at_risk_counts_unexcused_half_days_in_the_window():
    prog = programme()  # at_risk_absences 3 within 14 days
    records = (
        _absent("2024-03-01", HalfDay.AM),  # as_of − 13: inside
        _absent("2024-03-05"),  # a whole day: two half-days
        _absent("2024-03-06", status="excused"),
    )
    j = journey(attendance=records)
    assert [r.absences for r in at_risk(prog, [j], day("2024-03-14"))] == [3]
    assert at_risk(prog, [j], day("2024-03-15")) == []  # 03-01 has left the window
    exited = journey(exit="2024-03-10", attendance=records)
    assert at_risk(prog, [exited], day("2024-03-14")) == []
    assert at_risk(prog, [j], dt.date(2024, 3, 4)) == []
