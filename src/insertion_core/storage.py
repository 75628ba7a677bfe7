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
from typing import TYPE_CHECKING, Protocol, Self, runtime_checkable

if TYPE_CHECKING:  # annotations only: a storage plugin's import loads none of these
    from .audit.entry import AuditEntry
    from .domain.journey import Journey
    from .domain.model import Cohort, PersonalData
    from .domain.programme import Programme
    from .notify.ledger import LedgerEntry
    from .outcomes.checkins import AtRisk, DueCheckin
    from .outcomes.facts import OutcomeFacts
    from .outcomes.groups import FactsGroup, GroupPart
    from .outcomes.selection import Basis
    from .staff import AtRiskCall, DueCall

__all__ = [
    "AuditJournalRepository",
    "BulkPersonalRead",
    "BulkPersonalSave",
    "BulkRead",
    "BulkSave",
    "CohortRepository",
    "FactsSource",
    "JourneyRepository",
    "NoticeLedgerRepository",
    "PersonalDataRepository",
    "ProgrammeRepository",
    "ShredsErased",
    "StaffListsSource",
    "Storage",
    "StoredCheckinsSource",
    "StoredFactsSource",
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

    def remove(self, programme_id: str, participant_id: str) -> bool:
        """Remove the participant and their whole journey (erasure); False when not enrolled.

        Personal data and notice entries are removed through their own repositories.
        """
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
class BulkPersonalSave(Protocol):
    """Optional capability of a personal data repository: many participants in a few statements.

    Imports use it when the repository offers it, and otherwise call
    :meth:`PersonalDataRepository.save` once per participant.
    """

    def save_many(self, programme_id: str, personal: Iterable[PersonalData]) -> int:
        """Store each as ``save`` would (the later one wins); how many were given."""
        ...


@runtime_checkable
class BulkRead(Protocol):
    """Optional capability of a journey repository: many participants' journeys in a few queries.

    Imports read each batch of participants with it, and the staff lists the
    journeys of everyone listed; without it, :meth:`JourneyRepository.get` is
    called once per participant. Unlike ``get`` (and like ``iter``), it does not
    remember the versions read for a conflict check at save.
    """

    def get_many(self, programme_id: str, participant_ids: Iterable[str]) -> dict[str, Journey]:
        """The journeys of those enrolled, by participant id (the others are left out)."""
        ...


@runtime_checkable
class BulkPersonalRead(Protocol):
    """Optional capability of a personal data repository: many participants in a few queries."""

    def get_many(
        self, programme_id: str, participant_ids: Iterable[str]
    ) -> dict[str, PersonalData]:
        """The personal data stored for those participants, by participant id."""
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

    def about(self, programme_id: str, participant_ref: str) -> list[LedgerEntry]:
        """Entries of the notices about one participant, by key then channel (right of access).

        A notice is about a participant when its key names them
        (:func:`~insertion_core.notify.notice.is_about`).
        """
        ...

    def forget(self, programme_id: str, participant_ref: str) -> int:
        """Remove the entries of the notices about one participant (erasure); how many there were.

        Notice ids are hashes of keys that name the participant, so the entries go whole.
        """
        ...


class AuditJournalRepository(Protocol):
    """The audit journal, append-only, and the subject tokens that stand for participants.

    Entries can be added and read, never changed or removed (the SQL storage
    has the database refuse it). A participant appears in an entry only as a
    random token; the mapping from (programme, participant id) to token is kept
    apart, and removing a participant's mapping leaves their entries naming nobody.
    """

    def append(self, entry: AuditEntry) -> AuditEntry:
        """Add ``entry`` at the end of the journal; return it with its ``seq``."""
        ...

    def entries(
        self,
        programme_id: str,
        *,
        subject: str | None = None,
        since: dt.datetime | None = None,
    ) -> Iterator[tuple[AuditEntry, str | None]]:
        """The programme's entries in ``seq`` order, each with the participant id its token
        stands for (None without a token, or when it was forgotten).

        :param subject: only the entries of this token.
        :param since: only entries recorded at or after this time.
        """
        ...

    def subject(self, programme_id: str, participant_id: str) -> str | None:
        """The participant's token, or None when they have none (never changed, or forgotten)."""
        ...

    def link_subject(self, programme_id: str, participant_id: str, token: str) -> str:
        """The participant's token: the stored one, else ``token``, stored now."""
        ...

    def forget_subject(self, programme_id: str, participant_id: str) -> bool:
        """Remove the participant's token; whether there was one."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository."""

    programmes: ProgrammeRepository
    journeys: JourneyRepository
    cohorts: CohortRepository
    personal: PersonalDataRepository
    notices: NoticeLedgerRepository
    audit: AuditJournalRepository

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


@runtime_checkable
class ShredsErased(Protocol):
    """Optional capability of a storage: leave no copy of deleted values in its files.

    Called after a commit that erased personal data (retention, erasure); a
    storage without it leaves that to its deployment (docs/personal-data.md).
    """

    def shred_erased(self) -> bool:
        """Make what committed deletions removed unrecoverable from the storage's own files.

        :returns: False when it could not be done now (another connection was in
            the way); the values are deleted all the same, and the next run clears them.
        """
        ...


@runtime_checkable
class StoredCheckinsSource(Protocol):
    """Optional capability of a unit of work: the counsellor's lists read from stored rows.

    docs/architecture.md, Stored check-ins: check-ins kept as rows with the
    data they come from, so a list for one day is an indexed range query. A
    workspace falls back to the reference lists over every journey without it.
    """

    def due_checkins(self, programme: Programme, as_of: dt.date) -> list[DueCheckin]:
        """Equal to :func:`~insertion_core.outcomes.checkins.due_checkins` over every journey."""
        ...

    def at_risk(self, programme: Programme, as_of: dt.date) -> list[AtRisk]:
        """Equal to :func:`~insertion_core.outcomes.checkins.at_risk` over every journey."""
        ...


@runtime_checkable
class StaffListsSource(Protocol):
    """Optional capability of a unit of work: staff lists with whom to call, in one query each.

    docs/architecture.md, Stored check-ins: the due list or the list at risk,
    each line with the person's name, phone and e-mail, last contact and
    attempts since, read for the listed participants only. A workspace
    builds them from the lists and the listed journeys without it.
    """

    def due_calls(
        self,
        programme: Programme,
        as_of: dt.date,
        *,
        overdue_only: bool,
        counsellor: str | None,
        names: bool,
    ) -> list[DueCall]:
        """Equal to :func:`~insertion_core.worklists.due_calls` without this capability."""
        ...

    def at_risk_calls(
        self, programme: Programme, as_of: dt.date, *, counsellor: str | None, names: bool
    ) -> list[AtRiskCall]:
        """Equal to :func:`~insertion_core.worklists.at_risk_calls` without this capability."""
        ...


@runtime_checkable
class StoredFactsSource(Protocol):
    """Optional capability of a unit of work: settled outcome facts kept as rows.

    docs/architecture.md, Stored facts: a report counts the participants whose
    facts no longer depend on as_of by groups, with aggregate queries.
    Workspaces fall back to :class:`FactsSource` or journeys without it.
    """

    def settled_outcome_facts(
        self,
        programme: Programme,
        as_of: dt.date,
        selection: tuple[Basis, dt.date | None, dt.date],
        parts: Sequence[GroupPart],
    ) -> Iterator[FactsGroup | OutcomeFacts]:
        """Groups, per part, of the stored facts settled by as_of and selected (basis, start,
        end), then the facts of every other participant entered by as_of (as :class:`FactsSource`)."""
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
