"""The follow-up work lists a workspace answers: check-ins due and participants at risk.

Each list is read from the storage's stored check-ins when it keeps them (a
:class:`~insertion_core.storage.StoredCheckinsSource`), else computed over the
journeys; the staff versions add whom to call (:func:`~insertion_core.staff.with_reach`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .domain.programme import Programme
from .outcomes import AtRisk, DueCheckin, at_risk, due_checkins
from .staff import AtRiskCall, DueCall, with_reach
from .storage import StaffListsSource, StoredCheckinsSource

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = ["at_risk_calls", "due_calls", "find_at_risk", "find_due_checkins"]


def find_due_checkins(
    workspace: Workspace,
    programme: Programme,
    day: dt.date,
    *,
    overdue_only: bool,
    counsellor: str | None,
) -> list[DueCheckin]:
    """Check-ins due or overdue on ``day``, by due date then participant."""
    with workspace.storage.unit_of_work(read_only=True) as uow:
        if isinstance(uow, StoredCheckinsSource):
            found = uow.due_checkins(programme, day)
        else:
            found = due_checkins(programme, uow.journeys.iter(programme.id), day)
    return [
        d
        for d in found
        if (not overdue_only or d.status == "overdue")
        and (counsellor is None or d.counsellor == counsellor)
    ]


def find_at_risk(workspace: Workspace, programme: Programme, day: dt.date) -> list[AtRisk]:
    """Participants flagged at risk on ``day`` by their recent unexcused absences."""
    with workspace.storage.unit_of_work(read_only=True) as uow:
        if isinstance(uow, StoredCheckinsSource):
            return uow.at_risk(programme, day)
        return at_risk(programme, uow.journeys.iter(programme.id), day)


def due_calls(
    workspace: Workspace,
    programme: Programme,
    day: dt.date,
    *,
    overdue_only: bool,
    counsellor: str | None,
    names: bool,
) -> list[DueCall]:
    """The check-ins due, each with whom to call and the last contact: in one query when the
    storage can (:class:`~insertion_core.storage.StaffListsSource`), else the due list is
    filtered, then each listed journey read."""
    with workspace.storage.unit_of_work(read_only=True) as uow:
        if isinstance(uow, StaffListsSource):
            return uow.due_calls(
                programme, day, overdue_only=overdue_only, counsellor=counsellor, names=names
            )
    due = find_due_checkins(
        workspace, programme, day, overdue_only=overdue_only, counsellor=counsellor
    )
    return [DueCall(*pair) for pair in with_reach(workspace, programme.id, due, day, names=names)]


def at_risk_calls(
    workspace: Workspace,
    programme: Programme,
    day: dt.date,
    *,
    counsellor: str | None,
    names: bool,
) -> list[AtRiskCall]:
    """The participants at risk, each with whom to call: in one query when the storage can."""
    with workspace.storage.unit_of_work(read_only=True) as uow:
        if isinstance(uow, StaffListsSource):
            return uow.at_risk_calls(programme, day, counsellor=counsellor, names=names)
    risks = [
        r
        for r in find_at_risk(workspace, programme, day)
        if counsellor is None or r.counsellor == counsellor
    ]
    return [
        AtRiskCall(*pair) for pair in with_reach(workspace, programme.id, risks, day, names=names)
    ]
