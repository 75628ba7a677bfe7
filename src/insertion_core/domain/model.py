"""The facts of a programme: participants, cohorts, exits, contacts, attendance.

Values are frozen attrs classes. The pseudonymous core (what reports count)
is kept apart from personal data (names, contacts, free text), which lives in
:class:`PersonalData` and in the ``note``/``reason`` fields that storage puts
in a table of its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from .codes import (
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
from .identifiers import identifier, optional_identifier
from .situations import Situation

__all__ = [
    "AttendanceRecord",
    "Cohort",
    "Exit",
    "FollowUpContact",
    "Participant",
    "PersonalData",
    "PhaseProgress",
]


@attrs.frozen
class Participant:
    """A young person enrolled in a programme: the pseudonymous facts reports count.

    Identifiers are NFC-normalised and checked by
    :func:`~insertion_core.domain.identifiers.identifier` (``IdentifierError``).
    """

    participant_id: str = attrs.field(converter=identifier)
    cohort_id: str = attrs.field(converter=identifier)
    entry_date: dt.date
    birth_date: dt.date | None = None
    gender: Gender | None = None
    education_level: EducationLevel | None = None
    qpv: bool | None = None
    qpv_code: str | None = attrs.field(default=None, converter=optional_identifier)
    status_at_entry: StatusAtEntry | None = None
    scheme: Scheme | None = None
    referrer: Referrer | None = None
    counsellor: str | None = attrs.field(default=None, converter=optional_identifier)


@attrs.frozen
class PersonalData:
    """Who the participant is: stored apart, never in reports, exports or notices."""

    participant_id: str
    first_name: str | None = attrs.field(default=None, repr=False)
    last_name: str | None = attrs.field(default=None, repr=False)
    email: str | None = attrs.field(default=None, repr=False)
    phone: str | None = attrs.field(default=None, repr=False)

    def is_empty(self) -> bool:
        """True when no personal field is set."""
        return not any((self.first_name, self.last_name, self.email, self.phone))


@attrs.frozen
class Cohort:
    """A promotion: participants who started together, with its own dates when known."""

    cohort_id: str = attrs.field(converter=identifier)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    capacity: int | None = None


@attrs.frozen
class PhaseProgress:
    """The day a participant started one phase of the programme."""

    phase_id: str
    started_on: dt.date


@attrs.frozen
class Exit:
    """How and when a participant left the programme, and where to."""

    exit_date: dt.date
    reason: ExitReason
    destination: Situation
    contract: Contract | None = None
    contract_months: Decimal | None = None
    qualifying: bool | None = None


@attrs.frozen
class FollowUpContact:
    """A check-in after the exit: the situation observed on a day."""

    contact_date: dt.date
    situation: Situation
    contract: Contract | None = None
    contract_months: Decimal | None = None
    qualifying: bool | None = None
    channel: Channel | None = None
    note: str | None = attrs.field(default=None, repr=False, eq=True)


@attrs.frozen
class AttendanceRecord:
    """Presence on a programme day; ``half_day`` None covers the whole day (two half-days)."""

    date: dt.date
    status: AttendanceStatus
    half_day: HalfDay | None = None
    reason: str | None = attrs.field(default=None, repr=False)

    @property
    def half_days(self) -> int:
        """How many half-days the record covers."""
        return 2 if self.half_day is None else 1
