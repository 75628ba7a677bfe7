"""Changes to participants' journeys through the lifecycle, each in one audited transaction.

The work behind :meth:`~insertion_core.workspace.Workspace.enrol` and the
``record_*`` methods: check the values given, apply the lifecycle transition in
a :class:`~insertion_core.batch.Batch`, and write its audit journal entry there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .domain.identifiers import refuse_nir, refuse_personal_value
from .domain.journey import Journey
from .domain.model import Participant, PersonalData
from .domain.programme import Programme
from .errors import AlreadyEnrolledError, NotFoundError
from .storage import UnitOfWork

if TYPE_CHECKING:
    from .domain import lifecycle
    from .workspace import Workspace

__all__ = ["change", "enrol", "existing_journey"]


def enrol(
    workspace: Workspace,
    programme_id: str,
    participant: Participant,
    personal: PersonalData | None,
) -> lifecycle.Transition:
    """Enrol a new participant, checking the eligibility rules of the programme and plugins.

    :raises IdentifierError: an id, the cohort, the QPV code or the counsellor holds a
        social security number, an e-mail address or a phone number, or a personal
        field holds a social security number (the value is not shown).
    """
    for value in (
        participant.participant_id,
        participant.cohort_id,
        participant.qpv_code,
        participant.counsellor,
    ):
        if value is not None:
            refuse_personal_value(value)
    if personal is not None:
        for field in ("first_name", "last_name", "email", "phone"):
            refuse_nir(getattr(personal, field), field.replace("_", " "))
    programme = workspace.programme(programme_id)
    rules = workspace.hooks.eligibility_rules()
    with workspace.batch() as batch:
        if batch.uow.journeys.get(programme_id, participant.participant_id) is not None:
            raise AlreadyEnrolledError(
                f"participant {participant.participant_id} is already enrolled "
                f"in programme {programme_id}"
            )
        from .domain import lifecycle  # the eligibility rules: writers only

        transition = lifecycle.enrol(programme, participant, rules)
        batch.apply(programme_id, transition)
        if personal is not None:
            batch.uow.personal.save(programme_id, personal)
        batch.record("participant.enrol", programme_id, participant.participant_id)
    return transition


def change(
    workspace: Workspace,
    programme_id: str,
    participant_id: str,
    operation: str,
    transition_of: Callable[[Programme, Journey], lifecycle.Transition],
) -> lifecycle.Transition:
    """Apply an enrolled participant's transition and record it in the journal as ``operation``."""
    programme = workspace.programme(programme_id)
    with workspace.batch() as batch:
        transition = transition_of(
            programme, existing_journey(batch.uow, programme_id, participant_id)
        )
        batch.apply(programme_id, transition)
        batch.record(operation, programme_id, participant_id)
    return transition


def existing_journey(uow: UnitOfWork, programme_id: str, participant_id: str) -> Journey:
    """The stored journey; a NIR, e-mail or phone given as the id is refused, not echoed."""
    journey = uow.journeys.get(programme_id, refuse_personal_value(participant_id))
    if journey is None:
        raise NotFoundError(f"no participant {participant_id!r} in programme {programme_id!r}")
    return journey
