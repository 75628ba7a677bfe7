"""Journeys over one SQLAlchemy session; the repositories never commit or close it.

Journeys go through the tables directly (bulk ``INSERT``/``DELETE``, rows
turned into domain values); programmes, cohorts and personal data, one row
at a time, through ORM objects read fresh (``programmes.py``, ``cohorts.py``,
``personal_data.py``). No ORM object leaves a repository. Participants carry a
version: a journey read by ``get`` is saved only while its row still has the
version read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Row, Table, and_, delete, func, select, text
from sqlalchemy.orm import Session

from ...domain.changes import journey_changes
from ...domain.journey import Journey
from ...domain.model import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    PhaseProgress,
)
from ...domain.programme import Programme
from ...errors import ConflictError
from .bind import insert_rows
from .mapping import (
    attendance_from_row,
    child_params,
    contact_from_row,
    exit_from_row,
    participant_from_row,
    participant_params,
    phase_from_row,
)
from .programmes import stored_programme
from .stored_checkins import store_written_checkins
from .tables import (
    AttendanceReasonRow,
    AttendanceRow,
    ContactNoteRow,
    ContactRow,
    ExitRow,
    ParticipantRow,
    PhaseRow,
    metadata,
)

__all__ = ["DEFAULT_BATCH_SIZE", "SqlJourneyRepository"]

#: Participants per batch in ``iter`` and ``save_many``: a few statements per batch.
DEFAULT_BATCH_SIZE = 5000

# Journeys are read and written through the tables (Core), not ORM objects:
# at a million participants, building ORM instances costs more than the SQL.
_PARTICIPANTS = metadata.tables["participants"]
_ANALYSED = (
    "participants",
    "phases",
    "exits",
    "contacts",
    "attendance",
    "personal_data",
    "participant_checkins",
    "participant_facts",
)
_CHILD_TABLES = tuple(
    metadata.tables[name]
    for name in ("phases", "exits", "contacts", "contact_notes", "attendance", "attendance_reasons")
)


class SqlJourneyRepository:
    """Journeys, written and read in batches of participants.

    ``iter`` pages through participants by id (keyset pagination, no open
    cursor) and loads each page's phases, exits, contacts and attendance with
    one query per table: five queries per batch, whatever the batch holds.

    ``get`` remembers the version (and journey) it read; saving that
    participant later in the unit of work first locks its row and checks the
    version, raising :class:`ConflictError` when someone else changed it.
    """

    def __init__(self, session: Session, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._session = session
        self._batch_size = batch_size
        #: (programme, participant) -> (version read, journey read); (None, None): absent.
        self._read: dict[tuple[str, str], tuple[int | None, Journey | None]] = {}
        #: Batches written in this unit of work: statistics are refreshed after the 1st, 2nd,
        #: 4th, 8th... of them, however many ``save_many`` calls they came in (an import
        #: calls it once per batch of participants).
        self._batches = 0

    def get(self, programme_id: str, participant_id: str) -> Journey | None:
        """The participant's journey, or None when they are not enrolled."""
        row = self._row(programme_id, participant_id)
        journey = None if row is None else self._assemble([row])[0]
        version = None if row is None else int(row.version)
        self._read[(programme_id, participant_id)] = (version, journey)
        return journey

    def get_many(self, programme_id: str, participant_ids: Iterable[str]) -> dict[str, Journey]:
        """The journeys of those enrolled, by id: five queries per batch (the staff lists' read).

        Unlike ``get``, it remembers no version: what it reads is for reading only.
        """
        found: dict[str, Journey] = {}
        iterator = iter(dict.fromkeys(participant_ids))
        for batch in iter(lambda: list(islice(iterator, self._batch_size)), []):
            rows = self._session.execute(
                select(_PARTICIPANTS).where(
                    ParticipantRow.programme_id == programme_id,
                    ParticipantRow.participant_id.in_(batch),
                )
            ).all()
            found.update((j.participant_id, j) for j in self._assemble(rows))
        return found

    def forget_reads(self) -> None:
        """Forget the versions read: after a rollback they may no longer be what is stored."""
        self._read.clear()

    def _row(self, programme_id: str, participant_id: str) -> Row[Any] | None:
        return self._session.execute(
            select(_PARTICIPANTS).where(
                ParticipantRow.programme_id == programme_id,
                ParticipantRow.participant_id == participant_id,
            )
        ).one_or_none()

    def _check_versions(self, programme_id: str, journeys: Sequence[Journey]) -> None:
        """Lock the rows of the journeys ``get`` read, and check nobody changed them since.

        ``FOR UPDATE`` on PostgreSQL (SQLite's writer already holds the
        database): once locked, a row stays as checked until the commit.
        """
        read = {
            j.participant_id: self._read[key]
            for j in journeys
            if (key := (programme_id, j.participant_id)) in self._read
        }
        if not read:
            return
        current: dict[str, int] = {
            participant_id: version
            for participant_id, version in self._session.execute(
                select(ParticipantRow.participant_id, ParticipantRow.version)
                .where(
                    ParticipantRow.programme_id == programme_id,
                    ParticipantRow.participant_id.in_(list(read)),
                )
                .with_for_update()
            )
        }
        for participant_id, (version, journey) in read.items():
            if current.get(participant_id) != version:
                row = self._row(programme_id, participant_id)
                now = None if row is None else self._assemble([row])[0]
                raise ConflictError(participant_id, journey_changes(journey, now))

    def save(self, programme_id: str, journey: Journey) -> None:
        """Store the whole journey, replacing what was stored for that participant.

        One journey is no bulk save: the planner's statistics are not refreshed
        (``ANALYZE`` of every table takes about a second at a million participants,
        and a counsellor's write must not pay it).
        """
        self.write_journeys(stored_programme(self._session, programme_id), (journey,))

    def save_many(self, programme_id: str, journeys: Iterable[Journey]) -> int:
        """Store many journeys, each replacing its participant's rows; the importer's path.

        Works in batches: per batch one ``DELETE`` (children go by cascade),
        one bulk ``INSERT`` of participants, one ``SELECT`` of their new ids and
        one bulk ``INSERT`` per child table. When a participant appears twice, the later journey wins.

        :returns: how many journeys were stored.
        """
        programme = stored_programme(self._session, programme_id)
        stored = 0
        iterator = iter(journeys)
        for batch in iter(lambda: list(islice(iterator, self._batch_size)), []):
            stored += self.write_journeys(programme, batch)
            self._batches += 1
            if self._batches & (self._batches - 1) == 0:  # after batches 1, 2, 4, 8...
                self._refresh_statistics()
        return stored

    def _refresh_statistics(self) -> None:
        """Let the planner see the rows this transaction added (a bulk save doubled them).

        PostgreSQL: until autovacuum runs, the planner believes the new tables
        are empty and looks batches up by scanning the whole programme.
        ``ANALYZE`` inside the transaction counts its own rows; a user that
        does not own the tables just gets a warning. SQLite: without
        statistics, ``followups at-risk`` walks every participant instead of
        the attendance date index (``ANALYZE`` of every table: about 1 s at a
        million participants, and the refreshes double apart).
        """
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(text(f"ANALYZE {', '.join(_ANALYSED)}"))
            return
        for table in _ANALYSED:
            self._session.execute(text(f"ANALYZE {table}"))

    def write_journeys(self, programme: Programme, batch: Sequence[Journey]) -> int:
        """Write one batch of journeys with set-based statements; the one place journeys are written.

        Checks the versions ``get`` read, deletes the participants' rows with one
        ``DELETE ... WHERE participant_id IN (...)`` (children go by cascade) and
        inserts every table's new rows with one executemany (``COPY`` on
        PostgreSQL). Whatever must change with the journeys in the same
        transaction (rows derived from them) belongs here: the participants'
        stored check-ins and stored facts, computed from the journeys in memory
        (:func:`.stored_checkins.store_written_checkins`,
        :func:`.stored_facts.store_written_facts`).

        :returns: how many participants were written (the later journey wins).
        """
        programme_id = programme.id
        latest = {journey.participant_id: journey for journey in batch}
        journeys = list(latest.values())
        session = self._session
        self._check_versions(programme_id, journeys)
        replaced: dict[str, int] = {
            participant_id: version
            for participant_id, version in session.execute(
                delete(_PARTICIPANTS)
                .where(
                    _PARTICIPANTS.c.programme_id == programme_id,
                    _PARTICIPANTS.c.participant_id.in_(list(latest)),
                )
                .returning(_PARTICIPANTS.c.participant_id, _PARTICIPANTS.c.version)
            )
        }
        versions = {pid: replaced.get(pid, 0) + 1 for pid in latest}
        self._insert(
            _PARTICIPANTS,
            [
                {
                    **participant_params(programme_id, j.participant),
                    "version": versions[j.participant_id],
                }
                for j in journeys
            ],
        )
        for journey in journeys:
            key = (programme_id, journey.participant_id)
            if key in self._read:
                self._read[key] = (versions[journey.participant_id], journey)
        # Ids are read back in one query: SQLite cannot return them in order from a
        # multi-row INSERT, so RETURNING would mean one statement per participant.
        ids: dict[str, int] = {
            participant_id: ref
            for participant_id, ref in session.execute(
                select(ParticipantRow.participant_id, ParticipantRow.id).where(
                    ParticipantRow.programme_id == programme_id,
                    ParticipantRow.participant_id.in_(list(latest)),
                )
            )
        }
        refs = [ids[j.participant_id] for j in journeys]
        children = child_params(zip(refs, journeys, strict=True))
        child_rows = (
            children.phases,
            children.exits,
            children.contacts,
            children.notes,
            children.attendance,
            children.reasons,
        )
        for table, rows in zip(_CHILD_TABLES, child_rows, strict=True):
            if rows:
                self._insert(table, rows)
        written = list(zip(refs, journeys, strict=True))
        store_written_checkins(programme, written, self._insert)
        from .stored_facts import store_written_facts  # the outcome engine: writers only

        store_written_facts(programme, written, self._insert)
        return len(journeys)

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert many rows of this unit of work (:func:`.bind.insert_rows`)."""
        insert_rows(self._session, table, rows)

    def iter(self, programme_id: str) -> Iterator[Journey]:
        """Every journey of the programme, in participant id order, streamed by batch."""
        last: str | None = None
        while True:
            query = (
                select(_PARTICIPANTS)
                .where(ParticipantRow.programme_id == programme_id)
                .order_by(ParticipantRow.participant_id)
                .limit(self._batch_size)
            )
            if last is not None:
                query = query.where(ParticipantRow.participant_id > last)
            rows = self._session.execute(query).all()
            if not rows:
                return
            last = rows[-1].participant_id
            yield from self._assemble(rows)
            if len(rows) < self._batch_size:
                return

    def count(self, programme_id: str) -> int:
        """How many participants the programme has."""
        query = select(func.count()).where(ParticipantRow.programme_id == programme_id)
        return self._session.scalar(query) or 0

    def remove(self, programme_id: str, participant_id: str) -> bool:
        """Delete the participant's row; phases, exit, contacts, attendance, notes and reasons go
        by cascade. False when they were not enrolled."""
        removed = self._session.execute(
            delete(_PARTICIPANTS)
            .where(
                _PARTICIPANTS.c.programme_id == programme_id,
                _PARTICIPANTS.c.participant_id == participant_id,
            )
            .returning(_PARTICIPANTS.c.id)
        ).all()
        self._read.pop((programme_id, participant_id), None)
        return bool(removed)

    def _assemble(self, rows: Sequence[Row[Any]]) -> list[Journey]:
        """The journeys of ``rows``, loading their children with one query per table."""
        refs = [row.id for row in rows]
        execute = self._session.execute
        phases: defaultdict[int, list[PhaseProgress]] = defaultdict(list)
        for row in execute(
            select(PhaseRow.__table__)
            .where(PhaseRow.participant_ref.in_(refs))
            .order_by(PhaseRow.participant_ref, PhaseRow.seq)
        ):
            phases[row.participant_ref].append(phase_from_row(row))
        exits: dict[int, Exit] = {
            row.participant_ref: exit_from_row(row)
            for row in execute(select(ExitRow.__table__).where(ExitRow.participant_ref.in_(refs)))
        }
        contacts: defaultdict[int, list[FollowUpContact]] = defaultdict(list)
        for row in execute(
            select(ContactRow.__table__, ContactNoteRow.note)
            .outerjoin(
                ContactNoteRow,
                and_(
                    ContactNoteRow.participant_ref == ContactRow.participant_ref,
                    ContactNoteRow.seq == ContactRow.seq,
                ),
            )
            .where(ContactRow.participant_ref.in_(refs))
            .order_by(ContactRow.participant_ref, ContactRow.seq)
        ):
            contacts[row.participant_ref].append(contact_from_row(row))
        attendance: defaultdict[int, list[AttendanceRecord]] = defaultdict(list)
        for row in execute(
            select(AttendanceRow.__table__, AttendanceReasonRow.reason)
            .outerjoin(
                AttendanceReasonRow,
                and_(
                    AttendanceReasonRow.participant_ref == AttendanceRow.participant_ref,
                    AttendanceReasonRow.seq == AttendanceRow.seq,
                ),
            )
            .where(AttendanceRow.participant_ref.in_(refs))
            .order_by(AttendanceRow.participant_ref, AttendanceRow.seq)
        ):
            attendance[row.participant_ref].append(attendance_from_row(row))
        return [
            Journey(
                participant=participant_from_row(row),
                phases=tuple(phases.get(row.id, ())),
                exit=exits.get(row.id),
                contacts=tuple(contacts.get(row.id, ())),
                attendance=tuple(attendance.get(row.id, ())),
            )
            for row in rows
        ]
