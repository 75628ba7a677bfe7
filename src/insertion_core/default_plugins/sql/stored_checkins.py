"""Stored check-ins: the counsellor's lists read from an index, not rebuilt from journeys.

docs/architecture.md, Stored check-ins. Each follow-up check-in of an exited,
non-neutralised participant is one row of ``participant_checkins`` (its due
date, window, late end and the first contact that closes it).
:func:`store_written_checkins` writes the rows of the journeys a unit of work
saves, in the same transaction, from the journeys in memory;
:func:`store_checkins` derives them from the stored exits and contacts, and
:func:`store_programme_checkins` rewrites a whole programme that way when its
follow-up rules change. ``followups due`` is then a
range on the (programme, due date) index and ``followups at-risk`` a range on
the attendance date index, both equal to the lists of
:mod:`insertion_core.outcomes.checkins` over every journey.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Integer, Select, Table, case, delete, func, literal, or_, select
from sqlalchemy.orm import Session

from ...domain.calendar import add_months
from ...domain.codes import AttendanceStatus, ExitReason
from ...domain.journey import Journey
from ...domain.programme import Programme
from ...outcomes.checkins import AtRisk, DueCheckin
from .dates import SqlDates
from .tables import metadata

__all__ = [
    "at_risk",
    "at_risk_of",
    "at_risk_query",
    "due_checkin",
    "due_checkins",
    "due_query",
    "store_checkins",
    "store_programme_checkins",
    "store_written_checkins",
]

_PARTICIPANTS = metadata.tables["participants"]
_EXITS = metadata.tables["exits"]
_CONTACTS = metadata.tables["contacts"]
_ATTENDANCE = metadata.tables["attendance"]
_CHECKINS = metadata.tables["participant_checkins"]

#: Participants per statement: well under every backend's bound-parameter limit.
_CHUNK = 5000
_COLUMNS = (
    "participant_ref",
    "position",
    "checkpoint_months",
    "programme_id",
    "exit_date",
    "due_date",
    "window_start",
    "window_end",
    "late_end",
    "done_on",
)


def store_written_checkins(
    programme: Programme,
    written: Iterable[tuple[int, Journey]],
    insert_rows: Callable[[Table, list[dict[str, Any]]], None],
) -> None:
    """Store the check-ins of journeys just written, each with its new row id; the write path.

    Call it in the writing transaction, after the participants' rows. The rows
    come from the journeys in memory, the same as :func:`store_checkins` reads
    from the stored exits and contacts, and go in with ``insert_rows`` (the
    journey repository's ``COPY`` or driver executemany). A participant row
    just inserted has no check-ins yet (``ON DELETE CASCADE``).
    """
    followup = programme.followup
    grace = dt.timedelta(days=followup.grace_days)
    late = dt.timedelta(days=followup.grace_days + followup.overdue_days)
    rows: list[dict[str, Any]] = []
    for ref, journey in written:
        exit_ = journey.exit
        if exit_ is None or exit_.reason is ExitReason.NEUTRALISED:
            continue
        contacts = sorted(c.contact_date for c in journey.contacts)
        for position, months in enumerate(followup.checkpoints):
            due = add_months(exit_.exit_date, months)
            start, end = due - grace, due + late
            done = next((day for day in contacts if start <= day <= end), None)
            rows.append(
                {
                    "participant_ref": ref,
                    "position": position,
                    "checkpoint_months": months,
                    "programme_id": programme.id,
                    "exit_date": exit_.exit_date,
                    "due_date": due,
                    "window_start": start,
                    "window_end": due + grace,
                    "late_end": end,
                    "done_on": done,
                }
            )
    if rows:
        insert_rows(_CHECKINS, rows)


def store_checkins(session: Session, programme: Programme, refs: Sequence[int]) -> None:
    """Store the check-ins of the participants with these row ids, which have none stored.

    Call it in the writing transaction once their exits and contacts are
    written. Saving a journey replaces the participant's row, and its old
    check-ins go with it (``ON DELETE CASCADE``), so a saved participant's row
    id never has any. One ``INSERT … SELECT`` per checkpoint and chunk,
    whatever the chunk holds.
    """
    if not refs:
        return
    dates = SqlDates(session.get_bind().dialect.name)
    for first in range(0, len(refs), _CHUNK):
        chunk = list(refs[first : first + _CHUNK])
        for position, months in enumerate(programme.followup.checkpoints):
            session.execute(_insert(programme, dates, position, months, chunk))


def _insert(
    programme: Programme, dates: SqlDates, position: int, months: int, refs: list[int]
) -> Any:
    """The rows of one checkpoint for the exited, non-neutralised participants among refs."""
    followup = programme.followup
    due = dates.add_months(_EXITS.c.exit_date, months)
    start = dates.add_days(due, -followup.grace_days)
    late = dates.add_days(due, followup.grace_days + followup.overdue_days)
    done = (
        select(func.min(_CONTACTS.c.contact_date))
        .where(
            _CONTACTS.c.participant_ref == _EXITS.c.participant_ref,
            _CONTACTS.c.contact_date >= start,
            _CONTACTS.c.contact_date <= late,
        )
        .scalar_subquery()
    )
    chosen = select(
        _EXITS.c.participant_ref,
        literal(position, Integer),
        literal(months, Integer),
        literal(programme.id),
        _EXITS.c.exit_date,
        due,
        start,
        dates.add_days(due, followup.grace_days),
        late,
        done,
    ).where(
        _EXITS.c.participant_ref.in_(refs),
        _EXITS.c.reason != ExitReason.NEUTRALISED.value,
    )
    return _CHECKINS.insert().from_select(list(_COLUMNS), chosen)


def store_programme_checkins(session: Session, programme: Programme) -> None:
    """Rewrite the stored check-ins of every participant of the programme (its rules changed)."""
    session.execute(delete(_CHECKINS).where(_CHECKINS.c.programme_id == programme.id))
    refs = list(
        session.scalars(
            select(_PARTICIPANTS.c.id).where(_PARTICIPANTS.c.programme_id == programme.id)
        )
    )
    store_checkins(session, programme, refs)


def due_checkins(session: Session, programme: Programme, as_of: dt.date) -> list[DueCheckin]:
    """Check-ins not done while due − grace ≤ as_of ≤ due + grace + overdue, from the index.

    The same list as :func:`insertion_core.outcomes.checkins.due_checkins`
    over every journey: by due date, then participant id, then checkpoint.
    """
    return [due_checkin(row, as_of) for row in session.execute(due_query(programme, as_of))]


def due_query(programme: Programme, as_of: dt.date) -> Select[Any]:
    """The due check-ins' rows (:func:`due_checkin` reads one), in the order of the list.

    The due date bounds the range read (as_of − grace − overdue to as_of +
    grace); the other conditions only filter the rows of that range. Staff
    lists add their columns and joins to it.
    """
    followup = programme.followup
    grace, late = followup.grace_days, followup.grace_days + followup.overdue_days
    c, p = _CHECKINS.c, _PARTICIPANTS.c
    return (
        select(p.participant_id, c.checkpoint_months, c.due_date, c.window_end, p.counsellor)
        .join_from(_CHECKINS, _PARTICIPANTS, p.id == c.participant_ref)
        .where(
            c.programme_id == programme.id,
            c.due_date >= as_of - dt.timedelta(days=late),
            c.due_date <= as_of + dt.timedelta(days=grace),
            c.window_start <= as_of,
            c.late_end >= as_of,
            c.exit_date <= as_of,
            or_(c.done_on.is_(None), c.done_on > as_of),
        )
        .order_by(c.due_date, p.participant_id, c.position)
    )


def due_checkin(row: Any, as_of: dt.date) -> DueCheckin:
    """The check-in a row of :func:`due_query` holds."""
    return DueCheckin(
        participant_id=row.participant_id,
        checkpoint_months=row.checkpoint_months,
        due_date=row.due_date,
        status="due" if as_of <= row.window_end else "overdue",
        counsellor=row.counsellor,
    )


def at_risk(session: Session, programme: Programme, as_of: dt.date) -> list[AtRisk]:
    """Participants in the programme on as_of with too many recent unexcused absences, by id.

    The same list as :func:`insertion_core.outcomes.checkins.at_risk` over
    every journey.
    """
    return [at_risk_of(row) for row in session.execute(at_risk_query(programme, as_of))]


def at_risk_query(programme: Programme, as_of: dt.date) -> Select[Any]:
    """The rows of the participants at risk (:func:`at_risk_of` reads one), by participant id.

    A range on the attendance date index: the ``absent`` rows of the last
    ``at_risk_days`` days, a whole day counting two half-days. ``ref`` is the
    participant's row id, for the joins of staff lists.
    """
    policy = programme.attendance
    first = as_of - dt.timedelta(days=policy.at_risk_days - 1)
    a, p, e = _ATTENDANCE.c, _PARTICIPANTS.c, _EXITS.c
    absences = func.sum(case((a.half_day.is_(None), 2), else_=1))
    return (
        select(p.id.label("ref"), p.participant_id, p.counsellor, absences.label("absences"))
        .join_from(_ATTENDANCE, _PARTICIPANTS, p.id == a.participant_ref)
        .outerjoin(_EXITS, e.participant_ref == p.id)
        .where(
            a.date >= first,
            a.date <= as_of,
            a.status == AttendanceStatus.ABSENT.value,
            p.programme_id == programme.id,
            p.entry_date <= as_of,
            or_(e.exit_date.is_(None), e.exit_date > as_of),
        )
        .group_by(p.id, p.participant_id, p.counsellor)
        .having(absences >= policy.at_risk_absences)
        .order_by(p.participant_id)
    )


def at_risk_of(row: Any) -> AtRisk:
    """The participant at risk a row of :func:`at_risk_query` holds."""
    return AtRisk(row.participant_id, int(row.absences), row.counsellor)
