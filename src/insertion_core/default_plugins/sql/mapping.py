"""Conversions between table rows and domain values.

Writing goes through plain parameter dictionaries (what bulk ``INSERT`` takes);
reading goes from typed rows to frozen domain values, so repositories never
hand ORM objects to callers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
from .tables import (
    AttendanceRow,
    CohortRow,
    ContactRow,
    ExitRow,
    ParticipantRow,
    PersonalDataRow,
    PhaseRow,
)

__all__ = [
    "ChildParams",
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


def _code(value: Any) -> str | None:
    return None if value is None else str(value.value)


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


def participant_from_row(row: ParticipantRow) -> Participant:
    """The participant a ``participants`` row holds."""
    return Participant(
        participant_id=row.participant_id,
        cohort_id=row.cohort_id,
        entry_date=row.entry_date,
        birth_date=row.birth_date,
        gender=None if row.gender is None else Gender(row.gender),
        education_level=(
            None if row.education_level is None else EducationLevel(row.education_level)
        ),
        qpv=row.qpv,
        qpv_code=row.qpv_code,
        status_at_entry=(
            None if row.status_at_entry is None else StatusAtEntry(row.status_at_entry)
        ),
        scheme=None if row.scheme is None else Scheme(row.scheme),
        referrer=None if row.referrer is None else Referrer(row.referrer),
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


def phase_from_row(row: PhaseRow) -> PhaseProgress:
    """The phase start a ``phases`` row holds."""
    return PhaseProgress(row.phase_id, row.started_on)


def exit_from_row(row: ExitRow) -> Exit:
    """The exit an ``exits`` row holds."""
    return Exit(
        exit_date=row.exit_date,
        reason=ExitReason(row.reason),
        destination=Situation(row.destination_family, Sector(row.destination_sector)),
        contract=None if row.contract is None else Contract(row.contract),
        contract_months=row.contract_months,
        qualifying=row.qualifying,
    )


def contact_from_row(row: ContactRow, note: str | None) -> FollowUpContact:
    """The contact a ``contacts`` row and its note (from ``contact_notes``) hold."""
    return FollowUpContact(
        contact_date=row.contact_date,
        situation=Situation(row.situation_family, Sector(row.situation_sector)),
        contract=None if row.contract is None else Contract(row.contract),
        contract_months=row.contract_months,
        qualifying=row.qualifying,
        channel=None if row.channel is None else Channel(row.channel),
        note=note,
    )


def attendance_from_row(row: AttendanceRow, reason: str | None) -> AttendanceRecord:
    """The record an ``attendance`` row and its reason hold."""
    return AttendanceRecord(
        date=row.date,
        status=AttendanceStatus(row.status),
        half_day=None if row.half_day is None else HalfDay(row.half_day),
        reason=reason,
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
