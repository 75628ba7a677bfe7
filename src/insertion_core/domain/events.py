"""Domain events: what a lifecycle transition caused.

Events are returned by the pure lifecycle functions and handed to the
``on_event`` hook only after the transaction that stored them has committed.
They carry the pseudonymous participant id, never personal data.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

__all__ = [
    "AttendanceRecorded",
    "Enrolled",
    "Event",
    "Exited",
    "FollowUpRecorded",
    "PhaseStarted",
]


@attrs.frozen
class Event:
    """Something that happened to a participant on a day."""

    name: ClassVar[str] = "event"
    programme_id: str
    participant_id: str
    on: dt.date


@attrs.frozen
class Enrolled(Event):
    """The participant entered the programme."""

    name: ClassVar[str] = "enrolled"
    cohort_id: str = ""


@attrs.frozen
class PhaseStarted(Event):
    """The participant started a phase."""

    name: ClassVar[str] = "phase_started"
    phase_id: str = ""


@attrs.frozen
class Exited(Event):
    """The participant left the programme."""

    name: ClassVar[str] = "exited"
    reason: str = ""
    destination: str = ""


@attrs.frozen
class FollowUpRecorded(Event):
    """A follow-up contact after the exit was recorded."""

    name: ClassVar[str] = "followup_recorded"
    situation: str = ""


@attrs.frozen
class AttendanceRecorded(Event):
    """Attendance on a programme day was recorded."""

    name: ClassVar[str] = "attendance_recorded"
    status: str = ""
