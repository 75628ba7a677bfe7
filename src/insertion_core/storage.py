"""The storage contract: what every storage plugin provides.

A storage hands out units of work; repositories live on the unit of work and
return domain values, never database rows. The unit of work is the
transaction: leaving its ``with`` block without :meth:`UnitOfWork.commit`
rolls everything back. Personal data (names, contacts, free-text notes and
reasons) is stored apart from the pseudonymous core by every backend.

Participants are versioned: a journey read with :meth:`JourneyRepository.get`
and saved in the same unit of work is saved only if nobody else changed that
participant in between; otherwise the save (or the commit) raises
:class:`~insertion_core.errors.ConflictError` naming the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from .domain.journey import Journey
from .domain.model import Cohort, PersonalData
from .domain.programme import Programme
from .notify.ledger import LedgerEntry
from .outcomes.facts import OutcomeFacts

__all__ = [
    "BulkPersonalSave",
    "BulkRead",
    "BulkSave",
    "CohortRepository",
    "FactsSource",
    "JourneyRepository",
    "NoticeLedgerRepository",
    "PersonalDataRepository",
    "ProgrammeRepository",
    "Storage",
    "UnitOfWork",
]


class ProgrammeRepository(Protocol):
    """Programmes, kept with the TOML text they were loaded from."""

    def save(self, programme: Programme, source: str) -> None:
        """Add the programme, or replace the one with the same id."""
        ...

    def get(self, programme_id: str) -> Programme | None:
        """The programme with this id, or None."""
        ...

    def ids(self) -> list[str]:
        """Every programme id, sorted."""
        ...


class JourneyRepository(Protocol):
    """Participants' journeys within a programme."""

    def get(self, programme_id: str, participant_id: str) -> Journey | None:
        """The participant's journey, or None when they are not enrolled."""
        ...

    def save(self, programme_id: str, journey: Journey) -> None:
        """Store the whole journey, replacing what was stored for that participant.

        :raises ConflictError: the participant was read by :meth:`get` in this
            unit of work, and someone else has changed it since.
        """
        ...

    def iter(self, programme_id: str) -> Iterator[Journey]:
        """Every journey of the programme, in participant id order, streamed."""
        ...

    def count(self, programme_id: str) -> int:
        """How many participants the programme has."""
        ...


@runtime_checkable
class BulkSave(Protocol):
    """Optional capability of a journey repository: many journeys stored in a few statements.

    Imports use it when the repository offers it, and otherwise call
    :meth:`JourneyRepository.save` once per journey.
    """

    def save_many(self, programme_id: str, journeys: Iterable[Journey]) -> int:
        """Store each journey as ``save`` would (the later one wins); how many were given."""
        ...


@runtime_checkable
class BulkRead(Protocol):
    """Optional capability of a journey repository: many journeys read in a few queries.

    Imports read each batch of participants with it when the repository offers
    it. Unlike ``get``, and like ``iter`` (which large imports used before), it
    does not remember the versions read for a conflict check at save.
    """

    def get_many(self, programme_id: str, participant_ids: Sequence[str]) -> dict[str, Journey]:
        """The journeys of the enrolled participants among ``participant_ids``, by id."""
        ...


@runtime_checkable
class BulkPersonalSave(Protocol):
    """Optional capability of a personal data repository: many participants in a few statements.

    Imports use it when the repository offers it, and otherwise call
    :meth:`PersonalDataRepository.save` once per participant.
    """

    def save_many(self, programme_id: str, personal: Iterable[PersonalData]) -> int:
        """Store each as ``save`` would (the later one wins); how many were given."""
        ...


class CohortRepository(Protocol):
    """Cohorts' own dates and capacity."""

    def save(self, programme_id: str, cohort: Cohort) -> None:
        """Add the cohort, or replace the one with the same id."""
        ...

    def get(self, programme_id: str, cohort_id: str) -> Cohort | None:
        """The cohort, or None."""
        ...

    def list(self, programme_id: str) -> list[Cohort]:
        """Every cohort of the programme, by id."""
        ...


class PersonalDataRepository(Protocol):
    """Names and contact details, stored apart from the pseudonymous core."""

    def save(self, programme_id: str, personal: PersonalData) -> None:
        """Store the participant's personal data (an empty value removes it)."""
        ...

    def get(self, programme_id: str, participant_id: str) -> PersonalData | None:
        """The participant's personal data, or None."""
        ...


class NoticeLedgerRepository(Protocol):
    """Which notices were sent on which channel, and which are waiting for a retry."""

    def get(self, notice_id: str) -> LedgerEntry | None:
        """The ledger entry of one notice on one channel (ids are per channel), or None."""
        ...

    def save(self, entry: LedgerEntry) -> None:
        """Add or replace the entry with this notice id."""
        ...

    def compare_and_swap(self, entry: LedgerEntry, expected: LedgerEntry | None) -> bool:
        """Write ``entry`` only if the stored entry still has ``expected``'s version.

        ``expected`` None means "no entry yet". Returns whether it was written.
        Atomic across processes and hosts: of two units of work that read
        the same version, at most one swaps it. This is how a run claims a
        notice (docs/architecture.md, Notices).
        """
        ...

    def unsettled(self, programme_id: str) -> list[LedgerEntry]:
        """Entries of the programme not sent: retrying, failed for good, or left sending."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository."""

    programmes: ProgrammeRepository
    journeys: JourneyRepository
    cohorts: CohortRepository
    personal: PersonalDataRepository
    notices: NoticeLedgerRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None:
        """Make everything done in this unit of work durable."""
        ...

    def rollback(self) -> None:
        """Forget everything done since the last commit."""
        ...


@runtime_checkable
class FactsSource(Protocol):
    """Optional capability of a unit of work: outcome facts computed where the data lives.

    A storage whose units of work offer it lets reports skip building
    journeys (docs/architecture.md, Scale); the others fall back to the reference
    implementation over :meth:`JourneyRepository.iter`.
    """

    def outcome_facts(self, programme: Programme, as_of: dt.date) -> Iterator[OutcomeFacts]:
        """The facts of every participant entered by ``as_of``, in participant id order.

        Each is equal to :func:`~insertion_core.outcomes.reference.compute_facts`
        on that participant's journey; streamed, in bounded memory.
        """
        ...


class Storage(Protocol):
    """A backend: where a workspace keeps its programmes and journeys."""

    @property
    def url(self) -> str:
        """Where the data lives, with any password hidden."""
        ...

    def initialise(self) -> None:
        """Create the schema, or upgrade it to the current version."""
        ...

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it in a ``with`` block.

        :param read_only: the caller promises to write nothing, so the backend
            may read without waiting for writers (and without making them wait).
        """
        ...

    def close(self) -> None:
        """Release connections."""
        ...
