"""Conversions between table rows and domain values.

Writing goes through plain parameter dictionaries (what bulk ``INSERT`` takes);
reading goes from typed rows to frozen domain values, so repositories never
hand ORM objects to callers.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from ...domain.codes import (
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
from ...domain.journey import Journey
from ...domain.model import (
    AttendanceRecord,
    Cohort,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    PhaseProgress,
)
from ...domain.situations import Sector, Situation
from .tables import CohortRow, PersonalDataRow

__all__ = [
    "AttendanceFields",
    "ChildParams",
    "ContactFields",
    "ExitFields",
    "ParticipantFields",
    "PhaseFields",
    "attendance_from_row",
    "child_params",
    "cohort_from_row",
    "cohort_params",
    "contact_from_row",
    "exit_from_row",
    "participant_from_row",
    "participant_params",
    "personal_from_row",
    "personal_params",
    "phase_from_row",
]

Params = dict[str, Any]
E = TypeVar("E", bound=enum.StrEnum)


def _members(kind: type[E]) -> dict[str, E]:
    # A dict lookup: much cheaper than calling the enum, on millions of rows.
    return {member.value: member for member in kind}


_GENDER = _members(Gender)
_EDUCATION = _members(EducationLevel)
_STATUS_AT_ENTRY = _members(StatusAtEntry)
_SCHEME = _members(Scheme)
_REFERRER = _members(Referrer)
_REASON = _members(ExitReason)
_CONTRACT = _members(Contract)
_CHANNEL = _members(Channel)
_ATTENDANCE = _members(AttendanceStatus)
_HALF_DAY = _members(HalfDay)


def _decode(members: dict[str, E], value: str | None) -> E | None:
    return None if value is None else members[value]


@functools.lru_cache(maxsize=1024)
def _situation(family: str, sector: str) -> Situation:
    return Situation(family, Sector(sector))


# What the read functions need from a row: a Core row or an ORM object both fit.


class ParticipantFields(Protocol):
    """The columns of ``participants``."""

    @property
    def participant_id(self) -> str: ...
    @property
    def cohort_id(self) -> str: ...
    @property
    def entry_date(self) -> dt.date: ...
    @property
    def birth_date(self) -> dt.date | None: ...
    @property
    def gender(self) -> str | None: ...
    @property
    def education_level(self) -> str | None: ...
    @property
    def qpv(self) -> bool | None: ...
    @property
    def qpv_code(self) -> str | None: ...
    @property
    def status_at_entry(self) -> str | None: ...
    @property
    def scheme(self) -> str | None: ...
    @property
    def referrer(self) -> str | None: ...
    @property
    def counsellor(self) -> str | None: ...


class PhaseFields(Protocol):
    """The columns of ``phases``."""

    @property
    def phase_id(self) -> str: ...
    @property
    def started_on(self) -> dt.date: ...


class ExitFields(Protocol):
    """The columns of ``exits``."""

    @property
    def exit_date(self) -> dt.date: ...
    @property
    def reason(self) -> str: ...
    @property
    def destination_family(self) -> str: ...
    @property
    def destination_sector(self) -> str: ...
    @property
    def contract(self) -> str | None: ...
    @property
    def contract_months(self) -> Decimal | None: ...
    @property
    def qualifying(self) -> bool | None: ...


class ContactFields(Protocol):
    """The columns of ``contacts`` and the ``note`` from ``contact_notes``."""

    @property
    def contact_date(self) -> dt.date: ...
    @property
    def situation_family(self) -> str: ...
    @property
    def situation_sector(self) -> str: ...
    @property
    def contract(self) -> str | None: ...
    @property
    def contract_months(self) -> Decimal | None: ...
    @property
    def qualifying(self) -> bool | None: ...
    @property
    def channel(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...


class AttendanceFields(Protocol):
    """The columns of ``attendance`` and the ``reason`` from ``attendance_reasons``."""

    @property
    def date(self) -> dt.date: ...
    @property
    def half_day(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str | None: ...


def _code(value: Any) -> str | None:
    # ``_value_`` is the member's value without the ``value`` property's descriptor call.
    return None if value is None else str(value._value_)


def participant_params(programme_id: str, p: Participant) -> Params:
    """The ``participants`` row of a participant (``id`` is left to the database)."""
    return {
        "programme_id": programme_id,
        "participant_id": p.participant_id,
        "cohort_id": p.cohort_id,
        "entry_date": p.entry_date,
        "birth_date": p.birth_date,
        "gender": _code(p.gender),
        "education_level": _code(p.education_level),
        "qpv": p.qpv,
        "qpv_code": p.qpv_code,
        "status_at_entry": _code(p.status_at_entry),
        "scheme": _code(p.scheme),
        "referrer": _code(p.referrer),
        "counsellor": p.counsellor,
    }


def participant_from_row(row: ParticipantFields) -> Participant:
    """The participant a ``participants`` row holds."""
    return Participant(
        participant_id=row.participant_id,
        cohort_id=row.cohort_id,
        entry_date=row.entry_date,
        birth_date=row.birth_date,
        gender=_decode(_GENDER, row.gender),
        education_level=_decode(_EDUCATION, row.education_level),
        qpv=row.qpv,
        qpv_code=row.qpv_code,
        status_at_entry=_decode(_STATUS_AT_ENTRY, row.status_at_entry),
        scheme=_decode(_SCHEME, row.scheme),
        referrer=_decode(_REFERRER, row.referrer),
        counsellor=row.counsellor,
    )


class ChildParams:
    """The rows of every child table for a batch of journeys, ready for bulk inserts."""

    __slots__ = ("attendance", "contacts", "exits", "notes", "phases", "reasons")

    def __init__(self) -> None:
        self.phases: list[Params] = []
        self.exits: list[Params] = []
        self.contacts: list[Params] = []
        self.notes: list[Params] = []
        self.attendance: list[Params] = []
        self.reasons: list[Params] = []

    def add(self, ref: int, journey: Journey) -> None:
        """Add the child rows of ``journey``, whose participant row has id ``ref``."""
        for seq, phase in enumerate(journey.phases):
            self.phases.append(
                {
                    "participant_ref": ref,
                    "seq": seq,
                    "phase_id": phase.phase_id,
                    "started_on": phase.started_on,
                }
            )
        if journey.exit is not None:
            e = journey.exit
            self.exits.append(
                {
                    "participant_ref": ref,
                    "exit_date": e.exit_date,
                    "reason": e.reason.value,
                    "destination_family": e.destination.family,
                    "destination_sector": e.destination.sector.value,
                    "contract": _code(e.contract),
                    "contract_months": e.contract_months,
                    "qualifying": e.qualifying,
                }
            )
        for seq, c in enumerate(journey.contacts):
            self.contacts.append(
                {
                    "participant_ref": ref,
                    "seq": seq,
                    "contact_date": c.contact_date,
                    "situation_family": c.situation.family,
                    "situation_sector": c.situation.sector.value,
                    "contract": _code(c.contract),
                    "contract_months": c.contract_months,
                    "qualifying": c.qualifying,
                    "channel": _code(c.channel),
                }
            )
            if c.note is not None:
                self.notes.append({"participant_ref": ref, "seq": seq, "note": c.note})
        for seq, a in enumerate(journey.attendance):
            self.attendance.append(
                {
                    "participant_ref": ref,
                    "seq": seq,
                    "date": a.date,
                    "half_day": _code(a.half_day),
                    "status": a.status.value,
                }
            )
            if a.reason is not None:
                self.reasons.append({"participant_ref": ref, "seq": seq, "reason": a.reason})


def child_params(refs_and_journeys: Iterable[tuple[int, Journey]]) -> ChildParams:
    """The child rows of several journeys at once."""
    params = ChildParams()
    for ref, journey in refs_and_journeys:
        params.add(ref, journey)
    return params


def phase_from_row(row: PhaseFields) -> PhaseProgress:
    """The phase start a ``phases`` row holds."""
    return PhaseProgress(row.phase_id, row.started_on)


def exit_from_row(row: ExitFields) -> Exit:
    """The exit an ``exits`` row holds."""
    return Exit(
        exit_date=row.exit_date,
        reason=_REASON[row.reason],
        destination=_situation(row.destination_family, row.destination_sector),
        contract=_decode(_CONTRACT, row.contract),
        contract_months=row.contract_months,
        qualifying=row.qualifying,
    )


def contact_from_row(row: ContactFields) -> FollowUpContact:
    """The contact a ``contacts`` row, joined with its note, holds."""
    return FollowUpContact(
        contact_date=row.contact_date,
        situation=_situation(row.situation_family, row.situation_sector),
        contract=_decode(_CONTRACT, row.contract),
        contract_months=row.contract_months,
        qualifying=row.qualifying,
        channel=_decode(_CHANNEL, row.channel),
        note=row.note,
    )


def attendance_from_row(row: AttendanceFields) -> AttendanceRecord:
    """The record an ``attendance`` row, joined with its reason, holds."""
    return AttendanceRecord(
        date=row.date,
        status=_ATTENDANCE[row.status],
        half_day=_decode(_HALF_DAY, row.half_day),
        reason=row.reason,
    )


def cohort_params(programme_id: str, cohort: Cohort) -> Params:
    """The ``cohorts`` row of a cohort."""
    return {
        "programme_id": programme_id,
        "cohort_id": cohort.cohort_id,
        "start_date": cohort.start_date,
        "end_date": cohort.end_date,
        "capacity": cohort.capacity,
    }


def cohort_from_row(row: CohortRow) -> Cohort:
    """The cohort a ``cohorts`` row holds."""
    return Cohort(row.cohort_id, row.start_date, row.end_date, row.capacity)


def personal_params(programme_id: str, personal: PersonalData) -> Params:
    """The ``personal_data`` row of a participant."""
    return {
        "programme_id": programme_id,
        "participant_id": personal.participant_id,
        "first_name": personal.first_name,
        "last_name": personal.last_name,
        "email": personal.email,
        "phone": personal.phone,
    }


def personal_from_row(row: PersonalDataRow) -> PersonalData:
    """The personal data a ``personal_data`` row holds."""
    return PersonalData(row.participant_id, row.first_name, row.last_name, row.email, row.phone)
