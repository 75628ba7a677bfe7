"""The rights of the people concerned: access to everything held about them, and erasure.

Access is an explicit request by the person, so its document holds their
personal data, unlike reports, exports and notices. Erasure removes the
participant from every table: journey, personal data and the notice ledger
(whose ids are derived from the participant id). Reports run afterwards no
longer count them (docs/personal-data.md, Rights of the people concerned).
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .. import clock
from ..audit import forget_subject, record
from ..domain.journey import Journey
from ..domain.model import PersonalData
from ..domain.situations import Situation
from ..errors import NotFoundError
from ..notify.ledger import LedgerEntry
from ..outcomes import checkin_facts
from .retention import erasure_day, shred

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["Erasure", "erase_participant", "personal_data_of"]


def personal_data_of(
    workspace: Workspace, programme_id: str, participant_id: str, *, as_of: dt.date | None = None
) -> dict[str, Any]:
    """Everything the storage holds about one person, as a JSON-ready document (right of access).

    Their personal data, every field of their journey (notes and absence
    reasons included), their check-ins on ``as_of`` (default today), the
    notices about them, and the day their personal data is due to be erased.

    :raises NotFoundError: no such programme, or nothing held about the person.
    """
    programme = workspace.programme(programme_id)
    day = clock.today_in(programme.timezone) if as_of is None else as_of
    with workspace.storage.unit_of_work(read_only=True) as uow:
        journey = uow.journeys.get(programme_id, participant_id)
        personal = uow.personal.get(programme_id, participant_id)
        notices = uow.notices.about(programme_id, participant_id)
    if journey is None and personal is None and not notices:
        raise _not_held(programme_id, participant_id)
    erased_from = None if journey is None else erasure_day(programme, journey)
    return {
        "programme": programme_id,
        "participant_id": participant_id,
        "as_of": day.isoformat(),
        "personal_data": None if personal is None else _personal(personal),
        "journey": None if journey is None else _journey(journey),
        "checkins": []
        if journey is None
        else [
            _plain(attrs.asdict(c, recurse=False)) for c in checkin_facts(programme, journey, day)
        ],
        "notices": [_notice(entry) for entry in notices],
        "retention": {
            "months": programme.privacy.retention_months,
            "personal_data_erased_from": None if erased_from is None else erased_from.isoformat(),
        },
    }


@attrs.frozen
class Erasure:
    """What erasing one person removed."""

    programme_id: str
    participant_id: str
    journey: bool
    """Their participant record and whole journey."""
    personal_data: bool
    """Their names and contact details."""
    notices: int
    """Entries of the notice ledger about them."""
    shredded: bool = True
    """False when the storage could not yet clear its files of the erased values."""


def erase_participant(workspace: Workspace, programme_id: str, participant_id: str) -> Erasure:
    """Remove everything held about one person, in one unit of work (right to erasure).

    Afterwards no table holds their participant id or personal values, and a
    storage that can (:class:`~insertion_core.storage.ShredsErased`) leaves no copy of them in its files.

    :raises NotFoundError: no such programme, or nothing held about the person.
    """
    workspace.programme(programme_id)
    with workspace.storage.unit_of_work() as uow:
        journey = uow.journeys.remove(programme_id, participant_id)
        personal = uow.personal.get(programme_id, participant_id) is not None
        if personal:
            uow.personal.save(programme_id, PersonalData(participant_id))
        notices = uow.notices.forget(programme_id, participant_id)
        if not (journey or personal or notices):
            raise _not_held(programme_id, participant_id)
        counts = {"journey": int(journey), "personal_data": int(personal), "notices": notices}
        # Recorded under the person's token, which forget_subject then deletes: the
        # journal keeps that an erasure happened, and no longer whom it concerned.
        record(uow, workspace.actor, "participant.erase", programme_id, participant_id, counts)
        forget_subject(uow, programme_id, participant_id)
        uow.commit()
    shredded = shred(workspace.storage)
    return Erasure(programme_id, participant_id, journey, personal, notices, shredded)


def _not_held(programme_id: str, participant_id: str) -> NotFoundError:
    return NotFoundError(
        f"nothing is held about participant {participant_id!r} in programme {programme_id!r}"
    )


def _personal(personal: PersonalData) -> dict[str, str | None]:
    return {
        "first_name": personal.first_name,
        "last_name": personal.last_name,
        "email": personal.email,
        "phone": personal.phone,
    }


def _journey(journey: Journey) -> dict[str, Any]:
    """Every field of the journey, as stored."""
    participant = _plain(attrs.asdict(journey.participant, recurse=False))
    del participant["participant_id"]  # at the top of the document
    return {
        "participant": participant,
        "phases": [_plain(attrs.asdict(p, recurse=False)) for p in journey.phases],
        "exit": None if journey.exit is None else _plain(attrs.asdict(journey.exit, recurse=False)),
        "contacts": [_plain(attrs.asdict(c, recurse=False)) for c in journey.contacts],
        "attendance": [_plain(attrs.asdict(a, recurse=False)) for a in journey.attendance],
    }


def _notice(entry: LedgerEntry) -> dict[str, Any]:
    """A ledger entry without its id (a hash of the key shown beside it)."""
    fields = _plain(attrs.asdict(entry, recurse=False))
    del fields["notice_id"], fields["programme_id"]
    return fields


def _plain(fields: dict[str, Any]) -> dict[str, Any]:
    """Field values as JSON: dates as ISO text, codes as their value, decimals as text."""
    return {name: _value(value) for name, value in fields.items()}


def _value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Situation):
        return value.code
    return value
