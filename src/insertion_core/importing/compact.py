"""Parsed rows as flat tuples of text and numbers, for staging them on disk cheaply.

Pickling the rows' attrs objects costs more than parsing them (a Python call
per object and per enum, each way); a flat tuple of ``str``, ``int``,
``bool`` and ``None`` goes through :mod:`marshal` at C speed. Dates are kept
as ordinals, codes as their value, situations as their code. Decoding
rebuilds the same values (the domain's constructors check them again).
"""

from __future__ import annotations

import datetime as dt
import enum
import marshal
import operator
import pickle
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

import attrs

from ..domain.codes import (
    AttendanceStatus,
    Channel,
    Contract,
    EducationLevel,
    ExitReason,
    Gender,
    HalfDay,
    Referrer,
    Scheme,
    StatusAtEntry,
)
from ..domain.events import (
    AttendanceRecorded,
    Enrolled,
    Event,
    Exited,
    FollowUpRecorded,
    PhaseStarted,
)
from ..domain.model import (
    AttendanceRecord,
    Cohort,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
)
from ..domain.situations import Situation
from .records import (
    AttendanceRow,
    CohortRow,
    ExitRow,
    FollowUpRow,
    ParticipantRow,
    PhaseRow,
    Record,
)

__all__ = ["decode", "decode_events", "encode", "encode_events"]

E = TypeVar("E", bound=enum.Enum)


def encode(record: Record) -> bytes:
    """The row as bytes that :func:`decode` turns back into an equal row."""
    return marshal.dumps(_flat(record))


def decode(data: bytes) -> Record:
    """The row :func:`encode` was given."""
    values = marshal.loads(data)
    return _BUILD[values[0]](values)


def _flat(record: Record) -> tuple[Any, ...]:
    if isinstance(record, FollowUpRow):
        c = record.contact
        return (
            "f",
            record.line,
            record.participant_id,
            c.contact_date.toordinal(),
            c.situation.code,
            _value(c.contract),
            _text(c.contract_months),
            c.qualifying,
            _value(c.channel),
            c.note,
        )
    if isinstance(record, ExitRow):
        e = record.exit
        return (
            "e",
            record.line,
            record.participant_id,
            e.exit_date.toordinal(),
            e.reason.value,
            e.destination.code,
            _value(e.contract),
            _text(e.contract_months),
            e.qualifying,
        )
    if isinstance(record, ParticipantRow):
        p, d = record.participant, record.personal
        return (
            "p",
            record.line,
            p.participant_id,
            p.cohort_id,
            p.entry_date.toordinal(),
            _ordinal(p.birth_date),
            _value(p.gender),
            _value(p.education_level),
            p.qpv,
            p.qpv_code,
            _value(p.status_at_entry),
            _value(p.scheme),
            _value(p.referrer),
            p.counsellor,
            d.first_name,
            d.last_name,
            d.email,
            d.phone,
        )
    if isinstance(record, AttendanceRow):
        a = record.record
        return (
            "a",
            record.line,
            record.participant_id,
            a.date.toordinal(),
            a.status.value,
            _value(a.half_day),
            a.reason,
        )
    if isinstance(record, PhaseRow):
        return (
            "s",
            record.line,
            record.participant_id,
            record.phase_id,
            record.start_date.toordinal(),
        )
    c2 = record.cohort
    return (
        "c",
        record.line,
        c2.cohort_id,
        _ordinal(c2.start_date),
        _ordinal(c2.end_date),
        c2.capacity,
    )


def _participant(v: tuple[Any, ...]) -> ParticipantRow:
    pid = v[2]
    participant = Participant(
        pid,
        v[3],
        dt.date.fromordinal(v[4]),
        _date(v[5]),
        _code(Gender, v[6]),
        _code(EducationLevel, v[7]),
        v[8],
        v[9],
        _code(StatusAtEntry, v[10]),
        _code(Scheme, v[11]),
        _code(Referrer, v[12]),
        v[13],
    )
    return ParticipantRow(v[1], participant, PersonalData(pid, v[14], v[15], v[16], v[17]))


def _cohort(v: tuple[Any, ...]) -> CohortRow:
    return CohortRow(v[1], Cohort(v[2], _date(v[3]), _date(v[4]), v[5]))


def _phase(v: tuple[Any, ...]) -> PhaseRow:
    return PhaseRow(v[1], v[2], v[3], dt.date.fromordinal(v[4]))


def _exit(v: tuple[Any, ...]) -> ExitRow:
    exit_ = Exit(
        dt.date.fromordinal(v[3]),
        _members(ExitReason)[v[4]],
        _situation(v[5]),
        _code(Contract, v[6]),
        _decimal(v[7]),
        v[8],
    )
    return ExitRow(v[1], v[2], exit_)


def _followup(v: tuple[Any, ...]) -> FollowUpRow:
    contact = FollowUpContact(
        dt.date.fromordinal(v[3]),
        _situation(v[4]),
        _code(Contract, v[5]),
        _decimal(v[6]),
        v[7],
        _code(Channel, v[8]),
        v[9],
    )
    return FollowUpRow(v[1], v[2], contact)


def _attendance(v: tuple[Any, ...]) -> AttendanceRow:
    record = AttendanceRecord(
        dt.date.fromordinal(v[3]), _members(AttendanceStatus)[v[4]], _code(HalfDay, v[5]), v[6]
    )
    return AttendanceRow(v[1], v[2], record)


_BUILD: dict[str, Callable[[tuple[Any, ...]], Record]] = {
    "p": _participant,
    "c": _cohort,
    "s": _phase,
    "e": _exit,
    "f": _followup,
    "a": _attendance,
}


def _value(code: enum.Enum | None) -> Any:
    return None if code is None else code._value_


def _code(kind: type[E], value: Any) -> E | None:
    return None if value is None else _members(kind)[value]


@cache
def _members(kind: type[E]) -> dict[Any, E]:
    """The members of ``kind`` by value: a dict look-up costs a tenth of ``kind(value)``."""
    return {member.value: member for member in kind}


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _date(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@cache
def _situation(code: str) -> Situation:
    """A situation from its code; a few codes recur on every row, so each is built once."""
    family, _, sector = code.partition(".")
    return Situation(family, sector)


#: The events an import causes; their fields past the first three are text.
_EVENTS: dict[str, type[Event]] = {
    cls.name: cls for cls in (Enrolled, PhaseStarted, Exited, FollowUpRecorded, AttendanceRecorded)
}
#: A reader of each of those classes' field values, in declaration order, at C speed.
_FIELD_VALUES: dict[type[Event], Callable[[Event], tuple[Any, ...]]] = {
    cls: operator.attrgetter(*(f.name for f in attrs.fields(cls))) for cls in _EVENTS.values()
}


def encode_events(events: Iterable[Event]) -> bytes:
    """The events as bytes that :func:`decode_events` turns back into equal events, in order.

    Each of the lifecycle's own events is a flat tuple (its name, then its fields,
    the day as an ordinal), and the whole list goes through :mod:`marshal` at
    once; any other event (a subclass, a plugin's) is pickled whole within it.
    """
    items: list[tuple[Any, ...] | bytes] = []
    for event in events:
        values = _FIELD_VALUES.get(type(event))
        if values is None:
            items.append(pickle.dumps(event, pickle.HIGHEST_PROTOCOL))
            continue
        programme_id, participant_id, on, *rest = values(event)
        items.append((event.name, programme_id, participant_id, on.toordinal(), *rest))
    return marshal.dumps(items)


def decode_events(data: bytes) -> list[Event]:
    """The events :func:`encode_events` was given, in their order."""
    found: list[Event] = []
    day = dt.date.fromordinal
    for item in marshal.loads(data):
        if isinstance(item, bytes):
            found.append(pickle.loads(item))
        else:
            found.append(_EVENTS[item[0]](item[1], item[2], day(item[3]), *item[4:]))
    return found
