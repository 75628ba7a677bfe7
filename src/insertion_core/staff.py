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
from .storage import BulkPersonalRead, BulkRead, StaffListsSource, UnitOfWork

if TYPE_CHECKING:
    from .domain.programme import Programme
    from .workspace import Workspace

__all__ = [
    "PERSONAL_FIELDS",
    "AtRiskCall",
    "DueCall",
    "Reach",
    "at_risk_calls",
    "contact_json",
    "due_calls",
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


def due_calls(
    workspace: Workspace,
    programme: Programme,
    as_of: dt.date,
    *,
    overdue_only: bool = False,
    counsellor: str | None = None,
    names: bool = True,
) -> list[DueCall]:
    """The check-ins due on as_of, each with whom to call: in one query when the storage can.

    Without :class:`~insertion_core.storage.StaffListsSource` (the reference
    path), the due list is filtered, then each listed journey read.
    """
    with workspace.storage.unit_of_work(read_only=True) as uow:
        if isinstance(uow, StaffListsSource):
            return uow.due_calls(
                programme, as_of, overdue_only=overdue_only, counsellor=counsellor, names=names
            )
    due = workspace.due_checkins(
        programme.id, as_of=as_of, overdue_only=overdue_only, counsellor=counsellor
    )
    return [DueCall(*pair) for pair in with_reach(workspace, programme.id, due, as_of, names=names)]


def at_risk_calls(
    workspace: Workspace,
    programme: Programme,
    as_of: dt.date,
    *,
    counsellor: str | None = None,
    names: bool = True,
) -> list[AtRiskCall]:
    """The participants at risk on as_of, each with whom to call: in one query when possible."""
    with workspace.storage.unit_of_work(read_only=True) as uow:
        if isinstance(uow, StaffListsSource):
            return uow.at_risk_calls(programme, as_of, counsellor=counsellor, names=names)
    risks = [
        r
        for r in workspace.at_risk(programme.id, as_of=as_of)
        if counsellor is None or r.counsellor == counsellor
    ]
    return [
        AtRiskCall(*pair) for pair in with_reach(workspace, programme.id, risks, as_of, names=names)
    ]


def with_reach(
    workspace: Workspace, programme_id: str, items: Iterable[T], as_of: dt.date, *, names: bool
) -> list[tuple[T, Reach]]:
    """Each due check-in or risk with its participant's reach, read in one read-only unit of work."""
    listed = list(items)
    ids = [item.participant_id for item in listed]
    with workspace.storage.unit_of_work(read_only=True) as uow:
        journeys = _journeys(uow, programme_id, ids)
        personal = _personal(uow, programme_id, ids) if names else {}
    found = []
    for item in listed:
        journey = journeys.get(item.participant_id)
        if journey is None:  # removed since the list was computed
            found.append((item, Reach(None, None, 0, names)))
            continue
        who = personal.get(item.participant_id)
        found.append((item, Reach.of(journey, who, as_of, names=names)))
    return found


def _journeys(uow: UnitOfWork, programme_id: str, ids: list[str]) -> dict[str, Journey]:
    """The listed participants' journeys: in a few queries when the storage can."""
    if isinstance(uow.journeys, BulkRead):
        return uow.journeys.get_many(programme_id, ids)
    found = {pid: uow.journeys.get(programme_id, pid) for pid in ids}
    return {pid: journey for pid, journey in found.items() if journey is not None}


def _personal(uow: UnitOfWork, programme_id: str, ids: list[str]) -> dict[str, PersonalData]:
    """The listed participants' personal data: in a few queries when the storage can."""
    if isinstance(uow.personal, BulkPersonalRead):
        return uow.personal.get_many(programme_id, ids)
    found = {pid: uow.personal.get(programme_id, pid) for pid in ids}
    return {pid: personal for pid, personal in found.items() if personal is not None}
