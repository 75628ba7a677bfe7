"""Retention: personal data erased a set number of months after the person was last followed.

A participant's personal data (names and contact details, contact notes,
absence reasons) is kept until the programme's ``privacy.retention_months``
have passed since the end of their follow-up window or their last contact,
whichever is later, and erased from that day on. What reports count (the
pseudonymous journey) is kept, so every figure stays the same. A participant
with no exit recorded has not finished follow-up: their data is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from .. import clock
from ..audit import record
from ..domain.calendar import add_months
from ..domain.journey import Journey
from ..domain.model import PersonalData
from ..domain.programme import Programme
from ..storage import BulkSave, ShredsErased, Storage, UnitOfWork

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["RetentionCounts", "RetentionRun", "erasure_day", "run_retention", "shred"]

#: Journeys rewritten per statement batch when applying.
_BATCH = 1000


def erasure_day(programme: Programme, journey: Journey) -> dt.date | None:
    """The first day the participant's personal data is no longer kept; None before their exit.

    ``retention_months`` after the later of the end of follow-up (exit plus
    ``followup.months``) and the last contact (a follow-up contact or an
    attendance record).
    """
    if journey.exit is None:
        return None
    last = add_months(journey.exit.exit_date, programme.followup.months)
    for contact in journey.contacts:
        last = max(last, contact.contact_date)
    for present in journey.attendance:
        last = max(last, present.date)
    return add_months(last, programme.privacy.retention_months)


def without_free_text(journey: Journey) -> Journey:
    """The journey with its contact notes and absence reasons removed, everything else kept."""
    return attrs.evolve(
        journey,
        contacts=tuple(attrs.evolve(c, note=None) for c in journey.contacts),
        attendance=tuple(attrs.evolve(a, reason=None) for a in journey.attendance),
    )


@attrs.frozen
class RetentionCounts:
    """How much personal data retention erases (or would erase); numbers only, never values."""

    participants: int = 0
    """Participants past their erasure day with something left to erase."""
    personal_records: int = 0
    """Of them, those with names or contact details stored."""
    contact_notes: int = 0
    absence_reasons: int = 0

    def __add__(self, other: RetentionCounts) -> RetentionCounts:
        return RetentionCounts(
            self.participants + other.participants,
            self.personal_records + other.personal_records,
            self.contact_notes + other.contact_notes,
            self.absence_reasons + other.absence_reasons,
        )


@attrs.frozen
class RetentionRun:
    """What one run of retention found and did on a day."""

    programme_id: str
    as_of: dt.date
    retention_months: int
    applied: bool
    """False for a dry run: nothing was changed."""
    counts: RetentionCounts
    awaiting_exit: int
    """Participants with no exit recorded, whose data is kept until follow-up ends."""
    shredded: bool = True
    """False when the storage could not yet clear its files of the erased values."""

    def to_json_dict(self) -> dict[str, Any]:
        """The run as JSON: dates as ISO text, counts as numbers."""
        return {
            "programme": self.programme_id,
            "as_of": self.as_of.isoformat(),
            "retention_months": self.retention_months,
            "applied": self.applied,
            **attrs.asdict(self.counts),
            "awaiting_exit": self.awaiting_exit,
        }


@attrs.frozen
class _Due:
    """One participant past their erasure day, and what is left to erase."""

    journey: Journey
    stripped: Journey
    personal: PersonalData | None

    @property
    def counts(self) -> RetentionCounts:
        return RetentionCounts(
            participants=1,
            personal_records=int(self.personal is not None),
            contact_notes=sum(c.note is not None for c in self.journey.contacts),
            absence_reasons=sum(a.reason is not None for a in self.journey.attendance),
        )


def run_retention(
    workspace: Workspace, programme_id: str, *, as_of: dt.date | None = None, apply: bool = False
) -> RetentionRun:
    """Count, and with ``apply`` erase, the personal data past its erasure day on ``as_of``.

    ``as_of`` defaults to today in the programme's timezone. Applying runs in
    one unit of work, then asks a storage that can (:class:`ShredsErased`) to
    leave no copy of the erased values in its files. A journey another
    transaction changed after the stream read it keeps its notes until the
    next run.

    :raises NotFoundError: no such programme.
    :raises ConflictError: a journey being rewritten was changed meanwhile; run it again.
    """
    programme = workspace.programme(programme_id)
    day = clock.today_in(programme.timezone) if as_of is None else as_of
    counts = RetentionCounts()
    awaiting = 0
    with workspace.storage.unit_of_work(read_only=not apply) as uow:
        pending: list[Journey] = []
        for due in _due(uow, programme, day):
            if due is None:
                awaiting += 1
                continue
            counts += due.counts
            if not apply:
                continue
            if due.personal is not None:
                uow.personal.save(programme_id, PersonalData(due.journey.participant_id))
            # Read again through get, so that the save checks nobody changed it meanwhile
            # (ConflictError); one changed since the stream read it waits for the next run.
            if due.stripped != due.journey and _current(uow, programme_id, due.journey):
                pending.append(due.stripped)
            if len(pending) >= _BATCH:
                _save(uow, programme_id, pending)
                pending = []
        if apply:
            _save(uow, programme_id, pending)
            record(
                uow, workspace.actor, "retention.apply", programme_id, None, attrs.asdict(counts)
            )
            uow.commit()
    shredded = shred(workspace.storage) if apply and counts.participants else True
    return RetentionRun(
        programme_id, day, programme.privacy.retention_months, apply, counts, awaiting, shredded
    )


def _due(uow: UnitOfWork, programme: Programme, day: dt.date) -> Iterator[_Due | None]:
    """Each participant past their erasure day with something left, and None for each not exited.

    Journeys stream in participant id order; rewriting one already yielded
    does not disturb the stream, which pages by participant id.
    """
    for journey in uow.journeys.iter(programme.id):
        limit = erasure_day(programme, journey)
        if limit is None:
            yield None
            continue
        if day < limit:
            continue
        personal = uow.personal.get(programme.id, journey.participant_id)
        stripped = without_free_text(journey)
        if personal is not None or stripped != journey:
            yield _Due(journey, stripped, personal)


def shred(storage: Storage) -> bool:
    """Ask a storage that can (:class:`ShredsErased`) to clear its files of erased values.

    :returns: False when it could not yet; True when it did, or has no such capability.
    """
    return storage.shred_erased() if isinstance(storage, ShredsErased) else True


def _current(uow: UnitOfWork, programme_id: str, journey: Journey) -> bool:
    """Whether the stored journey is still ``journey``, its version now remembered for the save."""
    return uow.journeys.get(programme_id, journey.participant_id) == journey


def _save(uow: UnitOfWork, programme_id: str, journeys: list[Journey]) -> None:
    """Store the rewritten journeys, in a few statements when the repository can."""
    if not journeys:
        return
    if isinstance(uow.journeys, BulkSave):
        uow.journeys.save_many(programme_id, journeys)
        return
    for journey in journeys:
        uow.journeys.save(programme_id, journey)
