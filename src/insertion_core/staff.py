"""Staff working lists: the check-ins to make and the participants at risk, with whom to call.

The counsellor's tools (docs/data-formats.md, Staff lists): each line carries the
person's name, phone and e-mail, read through the storage's personal-data
repository, unless names are left out for a list that leaves the office; and
the last contact with the attempts since. Reports, exports and notices never
use these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .domain.journey import Journey
from .domain.model import FollowUpContact, PersonalData
from .domain.standing import attempts_since, last_contact
from .outcomes import AtRisk, DueCheckin
from .storage import UnitOfWork

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = [
    "PERSONAL_FIELDS",
    "AtRiskCall",
    "DueCall",
    "Reach",
    "contact_json",
    "personal_json",
    "with_reach",
]

#: The personal fields staff lists show, in their order, and leave out with ``--no-names``.
PERSONAL_FIELDS = ("first_name", "last_name", "phone", "email")

T = TypeVar("T", DueCheckin, AtRisk)


def personal_json(personal: PersonalData | None) -> dict[str, str | None]:
    """The four personal fields of a staff list, None where unknown."""
    return {name: getattr(personal, name, None) for name in PERSONAL_FIELDS}


def contact_json(contact: FollowUpContact | None) -> dict[str, str | None] | None:
    """``{date, situation, channel}`` of a contact, or None."""
    if contact is None:
        return None
    channel = None if contact.channel is None else contact.channel.value
    return {
        "date": contact.contact_date.isoformat(),
        "situation": contact.situation.code,
        "channel": channel,
    }


@attrs.frozen
class Reach:
    """How to reach a participant and how the last tries went."""

    personal: PersonalData | None
    """None when names were left out (or none are stored)."""
    last_contact: FollowUpContact | None
    attempts_since: int
    names: bool = True
    """Whether the personal fields belong in the list at all."""

    @classmethod
    def of(
        cls, journey: Journey, personal: PersonalData | None, as_of: dt.date, *, names: bool
    ) -> Reach:
        return cls(personal, last_contact(journey, as_of), attempts_since(journey, as_of), names)

    def to_json_dict(self) -> dict[str, Any]:
        """The personal fields (unless left out), ``last_contact`` and ``attempts_since``."""
        data: dict[str, Any] = personal_json(self.personal) if self.names else {}
        data["last_contact"] = contact_json(self.last_contact)
        data["attempts_since"] = self.attempts_since
        return data


@attrs.frozen
class DueCall:
    """A check-in due or overdue, with the person to call."""

    checkin: DueCheckin
    reach: Reach

    def to_json_dict(self) -> dict[str, Any]:
        """The check-in's fields (docs/data-formats.md, Staff lists) and the reach fields."""
        return {**self.checkin.to_json_dict(), **self.reach.to_json_dict()}


@attrs.frozen
class AtRiskCall:
    """A participant at risk, with the person to call."""

    risk: AtRisk
    reach: Reach

    def to_json_dict(self) -> dict[str, Any]:
        """``participant_id``, ``absences``, ``counsellor`` and the reach fields."""
        own = {
            "participant_id": self.risk.participant_id,
            "absences": self.risk.absences,
            "counsellor": self.risk.counsellor,
        }
        return {**own, **self.reach.to_json_dict()}


def with_reach(
    workspace: Workspace, programme_id: str, items: Iterable[T], as_of: dt.date, *, names: bool
) -> list[tuple[T, Reach]]:
    """Each due check-in or risk with its participant's reach, read in one read-only unit of work."""
    found = []
    with workspace.storage.unit_of_work(read_only=True) as uow:
        for item in items:
            found.append((item, _reach(uow, programme_id, item.participant_id, as_of, names)))
    return found


def _reach(
    uow: UnitOfWork, programme_id: str, participant_id: str, as_of: dt.date, names: bool
) -> Reach:
    journey = uow.journeys.get(programme_id, participant_id)
    if journey is None:  # removed since the list was computed
        return Reach(None, None, 0, names)
    personal = uow.personal.get(programme_id, participant_id) if names else None
    return Reach.of(journey, personal, as_of, names=names)
