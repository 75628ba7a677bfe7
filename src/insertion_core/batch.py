"""One transaction of a workspace: its unit of work, who acts in it, and the events it caused.

:meth:`~insertion_core.workspace.Workspace.batch` opens one; the events it
collected reach the ``on_event`` plugins only after its commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .audit import check_actor, default_actor
from .audit import record as audit_record

if TYPE_CHECKING:  # annotations only: a read command loads no lifecycle
    from .domain import lifecycle
    from .domain.events import Event
    from .domain.journey import Journey
    from .storage import UnitOfWork

__all__ = ["Batch"]


class Batch:
    """One transaction's unit of work, who acts in it, and the events its changes caused."""

    def __init__(self, uow: UnitOfWork, actor: str | None = None) -> None:
        self.uow = uow
        self.actor = default_actor() if actor is None else check_actor(actor)
        self.events: list[Event] = []

    def record(
        self,
        operation: str,
        programme_id: str,
        participant_id: str | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> None:
        """Write an audit journal entry for a change of this transaction, by its actor."""
        audit_record(self.uow, self.actor, operation, programme_id, participant_id, counts)

    def apply(self, programme_id: str, transition: lifecycle.Transition) -> Journey:
        """Store the journey a transition produced and keep its events for after commit."""
        self.uow.journeys.save(programme_id, transition.journey)
        self.events.extend(transition.events)
        return transition.journey
