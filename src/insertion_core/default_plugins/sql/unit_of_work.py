"""The SQL unit of work: one session, one transaction, every repository on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from . import staff_lists, stored_checkins
from .audit_journal import SqlAuditJournalRepository
from .cohorts import SqlCohortRepository
from .facts import SqlOutcomeFacts
from .notice_ledger import SqlNoticeLedgerRepository
from .personal_data import SqlPersonalDataRepository
from .programmes import SqlProgrammeRepository
from .repositories import DEFAULT_BATCH_SIZE, SqlJourneyRepository

if TYPE_CHECKING:  # annotations only
    from ...domain.programme import Programme
    from ...outcomes.checkins import AtRisk, DueCheckin
    from ...outcomes.facts import OutcomeFacts
    from ...outcomes.groups import FactsGroup, GroupPart
    from ...outcomes.selection import Basis
    from ...staff import AtRiskCall, DueCall

__all__ = ["SqlUnitOfWork"]


class SqlUnitOfWork:
    """A transaction over every repository; leaving the ``with`` block rolls back.

    Bound to an engine, it owns its connection. Bound to a connection that is
    already in a transaction (tests re-using one storage), its commits are
    savepoints inside that transaction.
    """

    def __init__(self, bind: Engine | Connection, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        if isinstance(bind, Connection):
            self._session = Session(bind=bind, join_transaction_mode="create_savepoint")
        else:
            self._session = Session(bind=bind)
        self.programmes = SqlProgrammeRepository(self._session)
        self.journeys = SqlJourneyRepository(self._session, batch_size)
        self.cohorts = SqlCohortRepository(self._session)
        self.personal = SqlPersonalDataRepository(self._session)
        self.notices = SqlNoticeLedgerRepository(self._session)
        self.audit = SqlAuditJournalRepository(self._session)
        self._facts = SqlOutcomeFacts(self._session, batch_size)

    @property
    def session(self) -> Session:
        """The session, for queries the repositories do not offer (pushed-down reports)."""
        return self._session

    def outcome_facts(self, programme: Programme, as_of: dt.date) -> Iterator[OutcomeFacts]:
        """The programme's outcome facts on ``as_of``, computed by the database.

        The :class:`~insertion_core.storage.FactsSource` capability: equal to
        the reference implementation's, in participant id order, streamed by
        batch without building journeys.
        """
        return self._facts.iter(programme, as_of)

    def due_checkins(self, programme: Programme, as_of: dt.date) -> list[DueCheckin]:
        """The :class:`~insertion_core.storage.StoredCheckinsSource` due list, from the index."""
        return stored_checkins.due_checkins(self._session, programme, as_of)

    def at_risk(self, programme: Programme, as_of: dt.date) -> list[AtRisk]:
        """Participants at risk on as_of, from a range on the attendance date index."""
        return stored_checkins.at_risk(self._session, programme, as_of)

    def due_calls(
        self,
        programme: Programme,
        as_of: dt.date,
        *,
        overdue_only: bool,
        counsellor: str | None,
        names: bool,
    ) -> list[DueCall]:
        """The :class:`~insertion_core.storage.StaffListsSource` due list, in one query."""
        return staff_lists.due_calls(
            self._session,
            programme,
            as_of,
            overdue_only=overdue_only,
            counsellor=counsellor,
            names=names,
        )

    def at_risk_calls(
        self, programme: Programme, as_of: dt.date, *, counsellor: str | None, names: bool
    ) -> list[AtRiskCall]:
        """The participants at risk with whom to call, in one query."""
        return staff_lists.at_risk_calls(
            self._session, programme, as_of, counsellor=counsellor, names=names
        )

    def settled_outcome_facts(
        self,
        programme: Programme,
        as_of: dt.date,
        selection: tuple[Basis, dt.date | None, dt.date],
        parts: Sequence[GroupPart],
    ) -> Iterator[FactsGroup | OutcomeFacts]:
        """The :class:`~insertion_core.storage.StoredFactsSource` capability.

        The stored facts settled by as_of, selected and counted by aggregate
        queries (parts with few groups share one scan), then the facts of the other participants
        computed as :meth:`outcome_facts` does. While a fact field is declared
        not storable, every participant is computed.
        """
        from . import stored_facts  # the outcome engine: reports only

        if stored_facts.UNSTORED_FIELDS:
            yield from self._facts.iter(programme, as_of)
            return
        yield from stored_facts.settled_groups(self._session, programme, as_of, selection, parts)
        yield from self._facts.iter(programme, as_of, unsettled_only=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed, and release the connection."""
        self._session.close()

    def commit(self) -> None:
        """Make everything done in this unit of work durable."""
        self._session.commit()

    def rollback(self) -> None:
        """Forget everything done since the last commit."""
        self._session.rollback()
        self.journeys.forget_reads()
