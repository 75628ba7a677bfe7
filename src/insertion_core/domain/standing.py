"""Where a participant stands on a day: status, phase, last contact and attempts since.

What staff lists show beside each person (docs/data-formats.md, Staff lists);
pure functions of a journey and ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import enum

from .calendar import add_months
from .codes import ExitReason
from .journey import Journey
from .model import FollowUpContact, PhaseProgress
from .programme import Programme

__all__ = [
    "ParticipantStatus",
    "attempts_since",
    "current_phase",
    "last_contact",
    "participant_status",
]

#: The family of a contact that did not reach the participant.
_UNREACHABLE = "unreachable"


class ParticipantStatus(enum.StrEnum):
    """Where a participant is in the programme on a day."""

    PLANNED = "planned"
    """The entry date is after the day."""
    IN_PROGRAMME = "in_programme"
    """Entered, no exit by the day."""
    IN_FOLLOWUP = "in_followup"
    """Exited, not neutralised, and the follow-up window is not over."""
    CLOSED = "closed"
    """Exited, and neutralised or past the follow-up window."""


def participant_status(programme: Programme, journey: Journey, as_of: dt.date) -> ParticipantStatus:
    """The participant's status on ``as_of``; the window ends ``followup.months`` after the exit."""
    if journey.participant.entry_date > as_of:
        return ParticipantStatus.PLANNED
    exit_ = journey.exit
    if exit_ is None or exit_.exit_date > as_of:
        return ParticipantStatus.IN_PROGRAMME
    if exit_.reason is ExitReason.NEUTRALISED:
        return ParticipantStatus.CLOSED
    if as_of <= add_months(exit_.exit_date, programme.followup.months):
        return ParticipantStatus.IN_FOLLOWUP
    return ParticipantStatus.CLOSED


def current_phase(journey: Journey, as_of: dt.date) -> PhaseProgress | None:
    """The latest phase started on or before ``as_of``, or None."""
    started = [p for p in journey.phases if p.started_on <= as_of]
    return max(started, key=lambda p: p.started_on) if started else None


def _known_contacts(journey: Journey, as_of: dt.date) -> list[FollowUpContact]:
    contacts = [c for c in journey.contacts if c.contact_date <= as_of]
    contacts.sort(key=lambda c: c.contact_date)
    return contacts


def last_contact(journey: Journey, as_of: dt.date) -> FollowUpContact | None:
    """The latest follow-up contact dated on or before ``as_of``, reached or not, or None."""
    contacts = _known_contacts(journey, as_of)
    return contacts[-1] if contacts else None


def attempts_since(journey: Journey, as_of: dt.date) -> int:
    """How many ``unreachable`` contacts (up to ``as_of``) came after the last one that reached.

    A contact of any other family reached the participant; with none, every
    unreachable contact counts.
    """
    contacts = _known_contacts(journey, as_of)
    reached = [c.contact_date for c in contacts if c.situation.family != _UNREACHABLE]
    after = reached[-1] if reached else dt.date.min
    return sum(1 for c in contacts if c.situation.family == _UNREACHABLE and c.contact_date > after)
