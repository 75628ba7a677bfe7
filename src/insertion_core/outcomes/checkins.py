"""Follow-up check-ins: their state on as_of, the ones due, and participants at risk.

docs/indicators.md, "Follow-up compliance": only follow-up contacts count (the exit
destination does not), and a contact closes every check-in whose range holds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from ..domain.calendar import add_months
from ..domain.codes import AttendanceStatus, ExitReason
from ..domain.journey import Journey
from ..domain.programme import Programme
from .facts import CheckinFact, CheckinStatus
from .rules import UNREACHABLE

__all__ = [
    "AtRisk",
    "DueCheckin",
    "at_risk",
    "checkin_facts",
    "due_checkins",
    "unexcused_absences",
]


def _exit_date(journey: Journey, as_of: dt.date) -> dt.date | None:
    """The exit date when the participant left by as_of and was not neutralised."""
    exit_ = journey.exit
    if exit_ is None or exit_.exit_date > as_of or exit_.reason is ExitReason.NEUTRALISED:
        return None
    return exit_.exit_date


def checkin_facts(
    programme: Programme, journey: Journey, as_of: dt.date
) -> tuple[CheckinFact, ...]:
    """One :class:`CheckinFact` per checkpoint, for an exited, non-neutralised participant."""
    exit_date = _exit_date(journey, as_of)
    if exit_date is None:
        return ()
    grace = dt.timedelta(days=programme.followup.grace_days)
    late = grace + dt.timedelta(days=programme.followup.overdue_days)
    contacts = [c for c in journey.contacts if c.contact_date <= as_of]
    facts = []
    for months in programme.followup.checkpoints:
        due = add_months(exit_date, months)
        on_time = [c for c in contacts if due - grace <= c.contact_date <= due + grace]
        if on_time:
            status = CheckinStatus.ON_TIME
        elif any(due + grace < c.contact_date <= due + late for c in contacts):
            status = CheckinStatus.LATE
        else:
            status = CheckinStatus.MISSING
        reached = any(c.situation.family.lower() != UNREACHABLE for c in on_time)
        facts.append(CheckinFact(months, status, reached, due + grace < as_of))
    return tuple(facts)


@attrs.frozen
class DueCheckin:
    """A check-in not done yet that a counsellor should make (``followups due``)."""

    participant_id: str
    checkpoint_months: int
    due_date: dt.date
    status: Literal["due", "overdue"]
    counsellor: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """docs/data-formats.md, Staff lists: the counsellor key is left out when there is none."""
        data: dict[str, Any] = {
            "participant_id": self.participant_id,
            "checkpoint_months": self.checkpoint_months,
            "due_date": self.due_date.isoformat(),
            "status": self.status,
        }
        if self.counsellor is not None:
            data["counsellor"] = self.counsellor
        return data


def _due_for(programme: Programme, journey: Journey, as_of: dt.date) -> Iterable[DueCheckin]:
    exit_date = _exit_date(journey, as_of)
    if exit_date is None:
        return
    grace = dt.timedelta(days=programme.followup.grace_days)
    late = grace + dt.timedelta(days=programme.followup.overdue_days)
    dates = [c.contact_date for c in journey.contacts if c.contact_date <= as_of]
    for months in programme.followup.checkpoints:
        due = add_months(exit_date, months)
        if not due - grace <= as_of <= due + late:
            continue
        if any(due - grace <= d <= due + late for d in dates):
            continue
        yield DueCheckin(
            participant_id=journey.participant_id,
            checkpoint_months=months,
            due_date=due,
            status="due" if as_of <= due + grace else "overdue",
            counsellor=journey.participant.counsellor,
        )


def due_checkins(
    programme: Programme, journeys: Iterable[Journey], as_of: dt.date
) -> list[DueCheckin]:
    """Every check-in not done while due − grace ≤ as_of ≤ due + grace + overdue.

    Exited, non-neutralised participants whatever the period; sorted by due
    date, then participant id.
    """
    found = [item for journey in journeys for item in _due_for(programme, journey, as_of)]
    found.sort(key=lambda item: (item.due_date, item.participant_id, item.checkpoint_months))
    return found


def unexcused_absences(programme: Programme, journey: Journey, as_of: dt.date) -> int:
    """Half-days ``absent`` in ``[as_of − at_risk_days + 1, as_of]``; a whole-day row counts two."""
    start = as_of - dt.timedelta(days=programme.attendance.at_risk_days - 1)
    return sum(
        record.half_days
        for record in journey.attendance
        if record.status is AttendanceStatus.ABSENT and start <= record.date <= as_of
    )


@attrs.frozen
class AtRisk:
    """A participant in the programme with too many unexcused absences lately."""

    participant_id: str
    absences: int
    counsellor: str | None = None


def at_risk(programme: Programme, journeys: Iterable[Journey], as_of: dt.date) -> list[AtRisk]:
    """Participants in the programme on as_of (entered, no exit by then) who are at risk, by id."""
    found = []
    for journey in journeys:
        if journey.participant.entry_date > as_of:
            continue
        if journey.exit is not None and journey.exit.exit_date <= as_of:
            continue
        absences = unexcused_absences(programme, journey, as_of)
        if absences >= programme.attendance.at_risk_absences:
            found.append(AtRisk(journey.participant_id, absences, journey.participant.counsellor))
    found.sort(key=lambda item: item.participant_id)
    return found
