"""People and journeys for staff: the participants of a programme, and one participant whole.

``insertion participants list`` and ``show`` and the ``Workspace.participants`` and
``Workspace.participant_view`` methods (docs/cli.md, docs/api.md). Personal data
is read through the storage's personal-data repository and shown to staff only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from .domain.journey import Journey
from .domain.model import PersonalData
from .domain.programme import Programme
from .domain.standing import ParticipantStatus, current_phase, participant_status
from .outcomes import checkin_facts
from .outcomes.facts import CheckinFact
from .staff import Reach, contact_json, personal_json

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = [
    "ParticipantSummary",
    "ParticipantView",
    "PhaseSpan",
    "list_participants",
    "view_participant",
]


@attrs.frozen
class ParticipantSummary:
    """One line of ``participants list``."""

    journey: Journey
    status: ParticipantStatus
    phase: str | None
    reach: Reach

    def to_json_dict(self) -> dict[str, Any]:
        """The pseudonymous fields, then the personal ones (unless left out) and the last contact."""
        exit_ = self.journey.exit
        return {
            **_enrolment(self.journey, self.status),
            "exit_date": None if exit_ is None else exit_.exit_date.isoformat(),
            "phase": self.phase,
            **self.reach.to_json_dict(),
        }


@attrs.frozen
class PhaseSpan:
    """A phase the participant went through: from its start to the next phase, or the exit."""

    phase_id: str
    name: str
    start: dt.date
    end: dt.date | None


@attrs.frozen
class ParticipantView:
    """Everything staff see of one participant on a day (``participants show``)."""

    journey: Journey
    personal: PersonalData | None
    status: ParticipantStatus
    phases: tuple[PhaseSpan, ...]
    checkins: tuple[CheckinFact, ...]
    attendance: dict[str, int]
    """Half-days by attendance status."""
    warnings: tuple[str, ...]
    """Eligibility rules that fail or cannot be decided on the stored data."""
    attempts_since: int

    def to_json_dict(self) -> dict[str, Any]:
        exit_ = self.journey.exit
        return {
            **_enrolment(self.journey, self.status),
            **personal_json(self.personal),
            "birth_date": _iso(self.journey.participant.birth_date),
            "phases": [
                {
                    "phase": p.phase_id,
                    "name": p.name,
                    "start": p.start.isoformat(),
                    "end": _iso(p.end),
                }
                for p in self.phases
            ],
            "exit": None
            if exit_ is None
            else {
                "date": exit_.exit_date.isoformat(),
                "reason": exit_.reason.value,
                "destination": exit_.destination.code,
                "contract": None if exit_.contract is None else exit_.contract.value,
            },
            "contacts": [
                {**(contact_json(c) or {}), "note": c.note}
                for c in sorted(self.journey.contacts, key=lambda c: c.contact_date)
            ],
            "attempts_since": self.attempts_since,
            "checkins": [
                {
                    "checkpoint_months": c.checkpoint_months,
                    "status": c.status.value,
                    "reached": c.reached,
                }
                for c in self.checkins
            ],
            "attendance": dict(self.attendance),
            "eligibility_warnings": list(self.warnings),
        }


def _enrolment(journey: Journey, status: ParticipantStatus) -> dict[str, Any]:
    participant = journey.participant
    return {
        "participant_id": participant.participant_id,
        "cohort_id": participant.cohort_id,
        "counsellor": participant.counsellor,
        "entry_date": participant.entry_date.isoformat(),
        "status": status.value,
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _summaries(
    workspace: Workspace, programme: Programme, as_of: dt.date, names: bool
) -> Iterator[ParticipantSummary]:
    with workspace.storage.unit_of_work(read_only=True) as uow:
        for journey in uow.journeys.iter(programme.id):
            phase = current_phase(journey, as_of)
            personal = uow.personal.get(programme.id, journey.participant_id) if names else None
            yield ParticipantSummary(
                journey,
                participant_status(programme, journey, as_of),
                None if phase is None else phase.phase_id,
                Reach.of(journey, personal, as_of, names=names),
            )


def list_participants(
    workspace: Workspace,
    programme: Programme,
    as_of: dt.date,
    *,
    cohort: str | None = None,
    counsellor: str | None = None,
    status: ParticipantStatus | None = None,
    phase: str | None = None,
    names: bool = True,
) -> list[ParticipantSummary]:
    """The programme's participants that match every filter given, by participant id."""
    return [
        s
        for s in _summaries(workspace, programme, as_of, names)
        if (cohort is None or s.journey.participant.cohort_id == cohort)
        and (counsellor is None or s.journey.participant.counsellor == counsellor)
        and (status is None or s.status is status)
        and (phase is None or s.phase == phase)
    ]


def _phase_spans(programme: Programme, journey: Journey) -> tuple[PhaseSpan, ...]:
    names = {p.id: p.name for p in programme.phases}
    ordered = sorted(journey.phases, key=lambda p: p.started_on)
    ends: list[dt.date | None] = [p.started_on for p in ordered[1:]]
    ends.append(None if journey.exit is None else journey.exit.exit_date)
    return tuple(
        PhaseSpan(p.phase_id, names.get(p.phase_id, p.phase_id), p.started_on, end)
        for p, end in zip(ordered, ends, strict=True)
    )


def view_participant(
    workspace: Workspace, programme: Programme, journey: Journey, as_of: dt.date
) -> ParticipantView:
    """One participant whole on ``as_of``, with their personal data."""
    with workspace.storage.unit_of_work(read_only=True) as uow:
        personal = uow.personal.get(programme.id, journey.participant_id)
    from .domain.eligibility import check_eligibility  # for one participant shown whole

    verdicts = check_eligibility(
        programme, journey.participant, workspace.hooks.eligibility_rules()
    )
    attendance: Counter[str] = Counter()
    for record in journey.attendance:
        if record.date <= as_of:
            attendance[record.status.value] += record.half_days
    return ParticipantView(
        journey=journey,
        personal=personal,
        status=participant_status(programme, journey, as_of),
        phases=_phase_spans(programme, journey),
        checkins=checkin_facts(programme, journey, as_of),
        attendance=dict(sorted(attendance.items())),
        warnings=tuple(f"{v.rule}: {v.message}" for v in verdicts if v.passed is not True),
        attempts_since=Reach.of(journey, None, as_of, names=False).attempts_since,
    )
