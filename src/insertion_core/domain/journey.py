"""A participant's journey: enrolment, phases, exit, follow-up and attendance together."""

from __future__ import annotations

import attrs

from .model import AttendanceRecord, Exit, FollowUpContact, Participant, PhaseProgress

__all__ = ["Journey"]


@attrs.frozen
class Journey:
    """Everything known about one participant in one programme, as one value.

    The lifecycle functions take a journey and return a new one; nothing here
    changes in place.
    """

    participant: Participant
    phases: tuple[PhaseProgress, ...] = ()
    exit: Exit | None = None
    contacts: tuple[FollowUpContact, ...] = ()
    attendance: tuple[AttendanceRecord, ...] = ()

    @property
    def participant_id(self) -> str:
        """The programme's own identifier of the participant."""
        return self.participant.participant_id

    @property
    def current_phase(self) -> PhaseProgress | None:
        """The phase the participant is in (or was in when they left)."""
        return self.phases[-1] if self.phases else None

    @property
    def has_exited(self) -> bool:
        """True once an exit is recorded."""
        return self.exit is not None
