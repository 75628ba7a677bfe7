"""The journeys an import touches, read once from storage, and the ones it changes.

Loading is done once per batch of participants, not once per row: every
participant the batch names is read up front, with one query per table when
the storage reads many at once (:class:`~insertion_core.storage.BulkRead`),
else through one streamed pass over the programme when the batch is a large
part of it, else one look-up each.
"""

from __future__ import annotations

from collections.abc import Collection

from ..domain.journey import Journey
from ..storage import BulkRead, UnitOfWork

__all__ = ["JourneyBook"]

_STREAM_FROM = 64  # below this many ids, one look-up each is cheaper than a full pass


class JourneyBook:
    """Stored journeys by participant id, with the import's changes kept beside them."""

    def __init__(self, uow: UnitOfWork, programme_id: str, ids: Collection[str]) -> None:
        self.original: dict[str, Journey] = {}
        self.current: dict[str, Journey] = {}
        if not ids:
            return
        wanted = set(ids)
        if len(wanted) >= _STREAM_FROM and isinstance(uow.journeys, BulkRead):
            self.original = uow.journeys.get_many(programme_id, sorted(wanted))
        elif len(wanted) >= _STREAM_FROM and len(wanted) * 4 >= uow.journeys.count(programme_id):
            for journey in uow.journeys.iter(programme_id):
                if journey.participant_id in wanted:
                    self.original[journey.participant_id] = journey
        else:
            for pid in sorted(wanted):
                found = uow.journeys.get(programme_id, pid)
                if found is not None:
                    self.original[pid] = found

    def get(self, participant_id: str) -> Journey | None:
        """The journey as the import has made it so far, or None when not enrolled."""
        found = self.current.get(participant_id)
        return found if found is not None else self.original.get(participant_id)

    def put(self, journey: Journey) -> None:
        """Keep the import's new version of a journey."""
        self.current[journey.participant_id] = journey

    def changed(self) -> list[Journey]:
        """Journeys that differ from what was stored, by participant id."""
        return [
            journey
            for pid, journey in sorted(self.current.items())
            if self.original.get(pid) != journey
        ]
