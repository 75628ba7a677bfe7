"""The SQL schema: typed declarative models, one per table.

The pseudonymous core (programmes, participants, phases, exits, contacts,
attendance, cohorts) is kept apart from personal data (``personal_data``,
``contact_notes``, ``attendance_reasons``), so personal data can be erased or
left out of an export by table. Child rows hang off ``participants.id`` with
``ON DELETE CASCADE``: replacing a journey deletes one participant row.
Identifiers sort by code point on every backend (``COLLATE "C"`` on
PostgreSQL), as they do in Python.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

__all__ = [
    "PERSONAL_TABLES",
    "AttendanceReasonRow",
    "AttendanceRow",
    "AuditEntryRow",
    "AuditSubjectRow",
    "Base",
    "CohortRow",
    "ContactNoteRow",
    "ContactRow",
    "ExitRow",
    "Identifier",
    "Months",
    "NoticeRow",
    "ParticipantRow",
    "PersonalDataRow",
    "PhaseRow",
    "ProgrammeRow",
    "RowId",
    "StoredCheckinRow",
    "StoredFactsRow",
    "metadata",
]

#: Constraint names alembic can rely on (alembic ``naming.rst``).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: An identifier, any length: compared by code point, so ``ORDER BY`` agrees with ``sorted``.
Identifier = Text().with_variant(Text(collation="C"), "postgresql")

CODE = String(32)

#: Participant row ids: 64-bit on PostgreSQL (every save takes a new one), SQLite's rowid there.
RowId = BigInteger().with_variant(Integer, "sqlite")


class Months(TypeDecorator[Decimal]):
    """A decimal number of months, exact on PostgreSQL, 15 significant digits on SQLite.

    SQLite has no decimal type: the value is bound as text into a NUMERIC
    column (so SQL comparisons still work) and read back through its shortest
    text form, without the float noise of SQLAlchemy's default conversion.
    """

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(asdecimal=False))
        return dialect.type_descriptor(Numeric())

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is not None and dialect.name == "sqlite":
            return str(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(str(value))


class Base(DeclarativeBase):
    """Declarative base sharing :data:`metadata`."""

    metadata = metadata


class ProgrammeRow(Base):
    """A programme and the TOML text it was loaded from."""

    __tablename__ = "programmes"

    id: Mapped[str] = mapped_column(Identifier, primary_key=True)
    source: Mapped[str] = mapped_column(Text)


class CohortRow(Base):
    """A cohort's own dates and capacity."""

    __tablename__ = "cohorts"

    programme_id: Mapped[str] = mapped_column(
        Identifier, ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    cohort_id: Mapped[str] = mapped_column(Identifier, primary_key=True)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)


class ParticipantRow(Base):
    """A participant's pseudonymous facts; ``id`` is internal and changes on every save.

    The unique (programme_id, participant_id) index is the only index led by
    ``programme_id``, on purpose: during a long import PostgreSQL has no
    statistics for the new rows, and a second such index lured it into
    scanning a whole programme for every batch.
    """

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("programme_id", "participant_id"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    programme_id: Mapped[str] = mapped_column(
        Identifier, ForeignKey("programmes.id", ondelete="CASCADE")
    )
    participant_id: Mapped[str] = mapped_column(Identifier)
    cohort_id: Mapped[str] = mapped_column(Identifier)
    entry_date: Mapped[dt.date] = mapped_column(Date)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(CODE)
    education_level: Mapped[str | None] = mapped_column(CODE)
    qpv: Mapped[bool | None] = mapped_column(Boolean)
    qpv_code: Mapped[str | None] = mapped_column(Text)
    status_at_entry: Mapped[str | None] = mapped_column(CODE)
    scheme: Mapped[str | None] = mapped_column(CODE)
    referrer: Mapped[str | None] = mapped_column(CODE)
    counsellor: Mapped[str | None] = mapped_column(Identifier)
    #: Raised by one on every save: a save checks the version it read (optimistic locking).
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))


def _participant_fk() -> Mapped[int]:
    return mapped_column(RowId, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)


class PhaseRow(Base):
    """The start of one phase; ``seq`` keeps the journey's order."""

    __tablename__ = "phases"

    participant_ref: Mapped[int] = _participant_fk()
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    phase_id: Mapped[str] = mapped_column(Identifier)
    started_on: Mapped[dt.date] = mapped_column(Date)


class ExitRow(Base):
    """A participant's exit (at most one)."""

    __tablename__ = "exits"

    participant_ref: Mapped[int] = _participant_fk()
    exit_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(CODE)
    destination_family: Mapped[str] = mapped_column(CODE)
    destination_sector: Mapped[str] = mapped_column(CODE)
    contract: Mapped[str | None] = mapped_column(CODE)
    contract_months: Mapped[Decimal | None] = mapped_column(Months)
    qualifying: Mapped[bool | None] = mapped_column(Boolean)


class ContactRow(Base):
    """A follow-up contact, without its note."""

    __tablename__ = "contacts"

    participant_ref: Mapped[int] = _participant_fk()
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contact_date: Mapped[dt.date] = mapped_column(Date)
    situation_family: Mapped[str] = mapped_column(CODE)
    situation_sector: Mapped[str] = mapped_column(CODE)
    contract: Mapped[str | None] = mapped_column(CODE)
    contract_months: Mapped[Decimal | None] = mapped_column(Months)
    qualifying: Mapped[bool | None] = mapped_column(Boolean)
    channel: Mapped[str | None] = mapped_column(CODE)


class AttendanceRow(Base):
    """Attendance on a day or half-day, without the reason."""

    __tablename__ = "attendance"

    participant_ref: Mapped[int] = _participant_fk()
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    date: Mapped[dt.date] = mapped_column(Date)
    half_day: Mapped[str | None] = mapped_column(CODE)
    status: Mapped[str] = mapped_column(CODE)


#: ``followups at-risk`` reads the absences of a range of days across the programme.
Index("ix_attendance_date", AttendanceRow.date)


class StoredCheckinRow(Base):
    """One follow-up check-in of an exited, non-neutralised participant (derived, kept current).

    docs/architecture.md, Stored check-ins: rewritten with the journey it
    comes from, in the same transaction. ``position`` is the checkpoint's place
    in the programme's list; ``done_on`` the first follow-up contact in
    ``[window_start, late_end]``. ``followups due`` reads a range of the
    (programme, due date) index.
    """

    __tablename__ = "participant_checkins"

    participant_ref: Mapped[int] = _participant_fk()
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    checkpoint_months: Mapped[int] = mapped_column(Integer)
    programme_id: Mapped[str] = mapped_column(Identifier)
    exit_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    window_start: Mapped[dt.date] = mapped_column(Date)
    window_end: Mapped[dt.date] = mapped_column(Date)
    late_end: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)


Index(
    "ix_participant_checkins_programme_due",
    StoredCheckinRow.programme_id,
    StoredCheckinRow.due_date,
)


# Personal data: never read by reports or exports.


class PersonalDataRow(Base):
    """Names and contact details; kept when the journey is replaced."""

    __tablename__ = "personal_data"

    programme_id: Mapped[str] = mapped_column(
        Identifier, ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[str] = mapped_column(Identifier, primary_key=True)
    first_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)


class ContactNoteRow(Base):
    """The free-text note of one contact."""

    __tablename__ = "contact_notes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["participant_ref", "seq"],
            ["contacts.participant_ref", "contacts.seq"],
            ondelete="CASCADE",
        ),
    )

    participant_ref: Mapped[int] = mapped_column(RowId, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    note: Mapped[str] = mapped_column(Text)


class AttendanceReasonRow(Base):
    """The free-text reason of one attendance record."""

    __tablename__ = "attendance_reasons"
    __table_args__ = (
        ForeignKeyConstraint(
            ["participant_ref", "seq"],
            ["attendance.participant_ref", "attendance.seq"],
            ondelete="CASCADE",
        ),
    )

    participant_ref: Mapped[int] = mapped_column(RowId, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(Text)


#: Tables holding personal data: what erasure empties and exports leave out.
PERSONAL_TABLES: tuple[str, ...] = ("personal_data", "contact_notes", "attendance_reasons")


class NoticeRow(Base):
    """The notice ledger: one row per notice per channel (docs/architecture.md, Notices)."""

    __tablename__ = "notices"

    notice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    programme_id: Mapped[str] = mapped_column(
        Identifier, ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(CODE)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    owner: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntryRow(Base):
    """One entry of the append-only audit journal (triggers refuse UPDATE and DELETE).

    No foreign key: the journal outlives whatever it mentions. ``subject`` is
    a participant's random token (``audit_subjects``), never their id;
    ``counts`` a JSON object of whole numbers.
    """

    __tablename__ = "audit_journal"

    seq: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    operation: Mapped[str] = mapped_column(String(64))
    programme_id: Mapped[str] = mapped_column(Identifier, index=True)
    subject: Mapped[str | None] = mapped_column(String(32), index=True)
    counts: Mapped[str] = mapped_column(Text)


class AuditSubjectRow(Base):
    """Which participant a subject token stands for; deleting the row forgets them."""

    __tablename__ = "audit_subjects"

    programme_id: Mapped[str] = mapped_column(
        Identifier, ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[str] = mapped_column(Identifier, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)


class StoredFactsRow(Base):
    """A participant's outcome facts once settled: equal for every as_of from ``settled_on``.

    Derived from the journey and the programme, rewritten in the transaction
    that writes them (``stored_facts.py``, docs/architecture.md, Stored facts).
    One column per fact field (``first_positive`` in two, the check-ins as
    text), the leaver time of time to outcome, and ``h0``..``h7``: the fact's
    SHA-256 in 32-bit chunks, summed in SQL for the data fingerprint.
    """

    __tablename__ = "participant_facts"

    participant_ref: Mapped[int] = _participant_fk()
    programme_id: Mapped[str] = mapped_column(Identifier)
    settled_on: Mapped[dt.date] = mapped_column(Date)
    participant_id: Mapped[str] = mapped_column(Identifier)
    cohort_id: Mapped[str] = mapped_column(Identifier)
    entry_date: Mapped[dt.date] = mapped_column(Date)
    exit_date: Mapped[dt.date | None] = mapped_column(Date)
    population: Mapped[str] = mapped_column(CODE)
    outcome: Mapped[str | None] = mapped_column(CODE)
    first_family: Mapped[str | None] = mapped_column(CODE)
    first_sector: Mapped[str | None] = mapped_column(CODE)
    responded: Mapped[bool] = mapped_column(Boolean)
    in_l4: Mapped[bool] = mapped_column(Boolean)
    job_searching_upon_leaving: Mapped[bool] = mapped_column(Boolean)
    training_upon_leaving: Mapped[bool] = mapped_column(Boolean)
    employment_upon_leaving: Mapped[bool] = mapped_column(Boolean)
    in_l6: Mapped[bool] = mapped_column(Boolean)
    employment_six_months: Mapped[bool] = mapped_column(Boolean)
    dynamic_exit: Mapped[str | None] = mapped_column(CODE)
    checkins: Mapped[str] = mapped_column(Text)
    days_to_positive: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(CODE)
    age_at_entry: Mapped[int | None] = mapped_column(Integer)
    education_level: Mapped[str | None] = mapped_column(CODE)
    qpv: Mapped[bool | None] = mapped_column(Boolean)
    status_at_entry: Mapped[str | None] = mapped_column(CODE)
    #: Time to outcome: the leaver's days and whether it is an event (None: not a leaver).
    leaver_days: Mapped[int | None] = mapped_column(Integer)
    leaver_event: Mapped[bool | None] = mapped_column(Boolean)
    h0: Mapped[int] = mapped_column(BigInteger)
    h1: Mapped[int] = mapped_column(BigInteger)
    h2: Mapped[int] = mapped_column(BigInteger)
    h3: Mapped[int] = mapped_column(BigInteger)
    h4: Mapped[int] = mapped_column(BigInteger)
    h5: Mapped[int] = mapped_column(BigInteger)
    h6: Mapped[int] = mapped_column(BigInteger)
    h7: Mapped[int] = mapped_column(BigInteger)


Index(
    "ix_participant_facts_programme_settled", StoredFactsRow.programme_id, StoredFactsRow.settled_on
)
