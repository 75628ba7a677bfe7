"""Naming what someone else changed in a journey, for conflict messages."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from insertion_core.domain.changes import journey_changes
from insertion_core.domain.codes import AttendanceStatus, ExitReason
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    PhaseProgress,
)
from insertion_core.domain.situations import Situation

D = dt.date
BASE = Journey(
    Participant("P001", "c1", D(2024, 1, 8)),
    phases=(PhaseProgress("accueil", D(2024, 1, 8)),),
    attendance=(AttendanceRecord(D(2024, 1, 10), AttendanceStatus.PRESENT),),
)
EXIT = Exit(D(2024, 6, 28), ExitReason.COMPLETED, Situation("training"))
CONTACT = FollowUpContact(D(2024, 7, 29), Situation("training"))
EARLIER = AttendanceRecord(D(2024, 1, 9), AttendanceStatus.ABSENT)


@pytest.mark.parametrize(
    ("after", "changes"),
    [
        (BASE, ["saved again"]),
        (attrs.evolve(BASE, exit=EXIT), ["exit recorded"]),
        (
            attrs.evolve(BASE, phases=(*BASE.phases, PhaseProgress("formation", D(2024, 2, 1)))),
            ["phase started"],
        ),
        (attrs.evolve(BASE, phases=()), ["phases changed"]),
        (attrs.evolve(BASE, contacts=(CONTACT,)), ["follow-up recorded"]),
        (attrs.evolve(BASE, attendance=(EARLIER, *BASE.attendance)), ["attendance recorded"]),
        (attrs.evolve(BASE, attendance=(EARLIER,)), ["attendance changed"]),
        (
            attrs.evolve(BASE, participant=attrs.evolve(BASE.participant, cohort_id="c2")),
            ["details changed"],
        ),
        (
            attrs.evolve(BASE, exit=EXIT, contacts=(CONTACT,)),
            ["exit recorded", "follow-up recorded"],
        ),
        (None, ["removed"]),
    ],
)
def test_each_kind_of_change_is_named(after: Journey | None, changes: list[str]) -> None:
    assert journey_changes(BASE, after) == changes


def test_exits_removed_and_changed_and_enrolments() -> None:
    exited = attrs.evolve(BASE, exit=EXIT)
    assert journey_changes(exited, BASE) == ["exit removed"]
    other = attrs.evolve(EXIT, exit_date=D(2024, 6, 30))
    assert journey_changes(exited, attrs.evolve(BASE, exit=other)) == ["exit changed"]
    assert journey_changes(exited, attrs.evolve(exited, contacts=(CONTACT,), exit=None)) == [
        "exit removed",
        "follow-up recorded",
    ]
    assert journey_changes(None, BASE) == ["enrolled"]
    assert journey_changes(None, None) == ["saved again"]
