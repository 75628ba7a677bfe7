"""The participant lifecycle as pure transitions.

Each function takes the current :class:`Journey` and returns a
:class:`Transition`: the new journey and the events it caused. An illegal
change raises a :class:`LifecycleError` whose message a counsellor can act on.
Nothing here reads a clock or touches storage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from ..errors import (
    AlreadyExitedError,
    AttendanceOutsideProgrammeError,
    ContactBeforeExitError,
    ExitBeforeEntryError,
    NoNextPhaseError,
    NotEligibleError,
)
from .eligibility import EligibilityRule, Verdict, builtin_rules, check_eligibility
from .events import (
    AttendanceRecorded,
    Enrolled,
    Event,
    Exited,
    FollowUpRecorded,
    PhaseStarted,
)
from .journey import Journey
from .model import AttendanceRecord, Exit, FollowUpContact, Participant, PhaseProgress
from .programme import Programme

__all__ = [
    "FollowUpMerge",
    "Transition",
    "check_contact",
    "enrol",
    "merge_followups",
    "record_attendance",
    "record_exit",
    "record_followup",
    "replace_followups",
    "start_next_phase",
]


@attrs.frozen
class Transition:
    """The journey after a change, the events it caused, and warnings worth showing."""

    journey: Journey
    events: tuple[Event, ...] = ()
    warnings: tuple[str, ...] = ()


def enrol(
    programme: Programme,
    participant: Participant,
    rules: Sequence[EligibilityRule] | None = None,
) -> Transition:
    """Enrol ``participant``, checking every eligibility rule.

    The first phase, if the programme has phases, starts on the entry date.
    A rule that cannot be decided (no birth date, say) is a warning, not a refusal.

    :raises NotEligibleError: naming every failed rule.
    """
    verdicts = check_eligibility(
        programme, participant, builtin_rules() if rules is None else rules
    )
    failures = [f"{v.rule}: {v.message}" for v in verdicts if v.passed is False]
    if failures:
        raise NotEligibleError(participant.participant_id, failures)
    warnings = tuple(_warning(participant, v) for v in verdicts if v.passed is None)
    events: list[Event] = [
        Enrolled(
            programme.id,
            participant.participant_id,
            participant.entry_date,
            cohort_id=participant.cohort_id,
        )
    ]
    phases: tuple[PhaseProgress, ...] = ()
    if programme.phases:
        first = programme.phases[0].id
        phases = (PhaseProgress(first, participant.entry_date),)
        events.append(
            PhaseStarted(
                programme.id, participant.participant_id, participant.entry_date, phase_id=first
            )
        )
    return Transition(Journey(participant, phases=phases), tuple(events), warnings)


def _warning(participant: Participant, verdict: Verdict) -> str:
    return f"participant {participant.participant_id}: {verdict.rule}: {verdict.message}"


def start_next_phase(programme: Programme, journey: Journey, on: dt.date) -> Transition:
    """Move the participant into the next phase on ``on``; phases only go forward.

    :raises NoNextPhaseError: no phases, already in the last one, or a date before the current phase.
    :raises AlreadyExitedError: the participant has left.
    """
    pid = journey.participant_id
    if journey.exit is not None:
        raise AlreadyExitedError(
            f"participant {pid} left the programme on {journey.exit.exit_date}; "
            "their phase can no longer change"
        )
    if not programme.phases:
        raise NoNextPhaseError(f"programme {programme.id} has no phases")
    current = journey.current_phase
    index = -1 if current is None else programme.phase_index(current.phase_id)
    if index + 1 >= len(programme.phases):
        raise NoNextPhaseError(
            f"participant {pid} is already in the last phase ({programme.phases[-1].name})"
        )
    since = journey.participant.entry_date if current is None else current.started_on
    if on < since:
        raise NoNextPhaseError(
            f"participant {pid} cannot start the next phase on {on}: "
            f"the current one started on {since}; phases only go forward"
        )
    phase = programme.phases[index + 1]
    return Transition(
        attrs.evolve(journey, phases=(*journey.phases, PhaseProgress(phase.id, on))),
        (PhaseStarted(programme.id, pid, on, phase_id=phase.id),),
    )


def record_exit(programme: Programme, journey: Journey, exit_: Exit) -> Transition:
    """Record the participant's exit: not before entry, and only once.

    Recording exactly the exit already recorded changes nothing.

    :raises ExitBeforeEntryError: the exit is dated before the entry or the current phase.
    :raises AlreadyExitedError: another exit is already recorded.
    """
    pid = journey.participant_id
    if journey.exit == exit_:
        return Transition(journey)
    if journey.exit is not None:
        raise AlreadyExitedError(
            f"participant {pid} already left the programme on {journey.exit.exit_date}; "
            "a participant leaves only once"
        )
    entry = journey.participant.entry_date
    if exit_.exit_date < entry:
        raise ExitBeforeEntryError(
            f"participant {pid} cannot leave on {exit_.exit_date}, "
            f"before entering the programme on {entry}"
        )
    current = journey.current_phase
    if current is not None and exit_.exit_date < current.started_on:
        raise ExitBeforeEntryError(
            f"participant {pid} cannot leave on {exit_.exit_date}, "
            f"before starting their current phase on {current.started_on}"
        )
    late = [a.date for a in journey.attendance if a.date > exit_.exit_date]
    if late:
        raise AttendanceOutsideProgrammeError(
            f"participant {pid} cannot leave on {exit_.exit_date}: "
            f"attendance is recorded on {max(late)}, after that day"
        )
    return Transition(
        attrs.evolve(journey, exit=exit_),
        (
            Exited(
                programme.id,
                pid,
                exit_.exit_date,
                reason=exit_.reason.value,
                destination=exit_.destination.code,
            ),
        ),
    )


def check_contact(journey: Journey, contact: FollowUpContact) -> None:
    """Check a follow-up contact against the journey's exit, as recording it would.

    :raises ContactBeforeExitError: no exit yet, or a contact dated before it.
    """
    pid = journey.participant_id
    if journey.exit is None:
        raise ContactBeforeExitError(
            f"participant {pid} has no exit: a follow-up contact comes after the exit"
        )
    if contact.contact_date < journey.exit.exit_date:
        raise ContactBeforeExitError(
            f"participant {pid}: a follow-up contact on {contact.contact_date} is before "
            f"their exit on {journey.exit.exit_date}"
        )


def record_followup(programme: Programme, journey: Journey, contact: FollowUpContact) -> Transition:
    """Add a follow-up contact; an exact duplicate of a recorded one counts once.

    :raises ContactBeforeExitError: no exit yet, or a contact dated before it.
    """
    check_contact(journey, contact)
    if contact in journey.contacts:
        return Transition(journey)
    return Transition(
        attrs.evolve(journey, contacts=(*journey.contacts, contact)),
        (
            FollowUpRecorded(
                programme.id,
                journey.participant_id,
                contact.contact_date,
                situation=contact.situation.code,
            ),
        ),
    )


def replace_followups(
    programme: Programme, journey: Journey, contacts: Iterable[FollowUpContact]
) -> Transition:
    """Replace all of the participant's contacts (a corrected file replaces what it corrects).

    Exact duplicates count once; events are raised for the contacts that are new.
    """
    unique: list[FollowUpContact] = []
    for contact in contacts:
        check_contact(journey, contact)
        if contact not in unique:
            unique.append(contact)
    new = [c for c in unique if c not in journey.contacts]
    events = tuple(
        FollowUpRecorded(
            programme.id, journey.participant_id, c.contact_date, situation=c.situation.code
        )
        for c in new
    )
    return Transition(attrs.evolve(journey, contacts=tuple(unique)), events)


@attrs.frozen
class FollowUpMerge:
    """Contacts merged into a journey: the transition and how many contacts each way."""

    transition: Transition
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


def _contact_key(contact: FollowUpContact) -> tuple[object, ...]:
    """What makes two contacts the same one: participant aside, day, situation, contract, channel."""
    return (contact.contact_date, contact.situation, contact.contract, contact.channel)


def merge_followups(
    programme: Programme,
    journey: Journey,
    contacts: Iterable[FollowUpContact],
    *,
    replace: bool = False,
) -> FollowUpMerge:
    """Add and update the participant's contacts; with ``replace``, drop the ones not given.

    A contact equal to a stored one is unchanged; one with the same day, situation,
    contract and channel as a stored one but other details (months, qualifying, note)
    updates it; any other is added. Exact duplicates count once. Without ``replace``
    no stored contact is ever removed. Events are raised for added contacts only.

    :raises ContactBeforeExitError: a given contact without an exit, or before it.
    """
    unique: list[FollowUpContact] = []
    for contact in contacts:
        check_contact(journey, contact)
        if contact not in unique:
            unique.append(contact)
    result: list[FollowUpContact | None] = list(journey.contacts)
    matched: set[int] = set()
    pending: list[FollowUpContact] = []
    for contact in unique:
        index = next((i for i, c in enumerate(result) if i not in matched and c == contact), None)
        if index is None:
            pending.append(contact)
        else:
            matched.add(index)
    unchanged = len(matched)
    added: list[FollowUpContact] = []
    updated = 0
    for contact in pending:
        key = _contact_key(contact)
        index = next(
            (
                i
                for i, c in enumerate(result)
                if i not in matched and c is not None and _contact_key(c) == key
            ),
            None,
        )
        if index is None:
            added.append(contact)
        else:
            result[index] = contact
            matched.add(index)
            updated += 1
    removed = 0
    if replace:
        removed = len(result) - len(matched)
        result = [c if i in matched else None for i, c in enumerate(result)]
    final = tuple(c for c in result if c is not None) + tuple(added)
    events = tuple(
        FollowUpRecorded(
            programme.id, journey.participant_id, c.contact_date, situation=c.situation.code
        )
        for c in added
    )
    transition = Transition(attrs.evolve(journey, contacts=final), events)
    return FollowUpMerge(transition, len(added), updated, unchanged, removed)


def record_attendance(
    programme: Programme, journey: Journey, record: AttendanceRecord
) -> Transition:
    """Record attendance on a day between entry and exit.

    A later record replaces the ones it overlaps: a whole-day record replaces
    every record of that day, a half-day record the same half-day and a
    whole-day record of that day. So no half-day is ever counted twice.

    :raises AttendanceOutsideProgrammeError: the day is before entry or after exit.
    """
    pid = journey.participant_id
    entry = journey.participant.entry_date
    if record.date < entry:
        raise AttendanceOutsideProgrammeError(
            f"participant {pid}: attendance on {record.date} is before their entry on {entry}"
        )
    if journey.exit is not None and record.date > journey.exit.exit_date:
        raise AttendanceOutsideProgrammeError(
            f"participant {pid}: attendance on {record.date} is after their exit "
            f"on {journey.exit.exit_date}"
        )
    if record in journey.attendance:
        return Transition(journey)
    kept = tuple(a for a in journey.attendance if not _overlaps(a, record))
    return Transition(
        attrs.evolve(journey, attendance=(*kept, record)),
        (AttendanceRecorded(programme.id, pid, record.date, status=record.status.value),),
    )


def _overlaps(a: AttendanceRecord, b: AttendanceRecord) -> bool:
    """True when two records cover a common half-day."""
    return a.date == b.date and (
        a.half_day is None or b.half_day is None or a.half_day == b.half_day
    )
