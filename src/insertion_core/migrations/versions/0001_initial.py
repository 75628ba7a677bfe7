"""Initial schema: the pseudonymous core and, apart, personal data.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Types as they were at this revision (migrations never import the models).
ID = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
CODE = sa.String(length=32)
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ref(table: str) -> list[Any]:
    """``participant_ref`` + ``seq`` columns, their primary key and cascade to participants."""
    return [
        sa.Column("participant_ref", ROW_ID, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_ref"],
            ["participants.id"],
            name=op.f(f"fk_{table}_participant_ref_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_ref", "seq", name=op.f(f"pk_{table}")),
    ]


def _programme_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["programme_id"],
        ["programmes.id"],
        name=op.f(f"fk_{table}_programme_id_programmes"),
        ondelete="CASCADE",
    )


def _personal_text(table: str, column: str, parent: str) -> None:
    op.create_table(
        table,
        sa.Column("participant_ref", ROW_ID, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column(column, sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_ref", "seq"],
            [f"{parent}.participant_ref", f"{parent}.seq"],
            name=op.f(f"fk_{table}_participant_ref_{parent}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_ref", "seq", name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", ID, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    op.create_table(
        "cohorts",
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("cohort_id", ID, nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        _programme_fk("cohorts"),
        sa.PrimaryKeyConstraint("programme_id", "cohort_id", name=op.f("pk_cohorts")),
    )
    op.create_table(
        "participants",
        sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("participant_id", ID, nullable=False),
        sa.Column("cohort_id", ID, nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", CODE, nullable=True),
        sa.Column("education_level", CODE, nullable=True),
        sa.Column("qpv", sa.Boolean(), nullable=True),
        sa.Column("qpv_code", sa.Text(), nullable=True),
        sa.Column("status_at_entry", CODE, nullable=True),
        sa.Column("scheme", CODE, nullable=True),
        sa.Column("referrer", CODE, nullable=True),
        sa.Column("counsellor", ID, nullable=True),
        _programme_fk("participants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint(
            "programme_id", "participant_id", name=op.f("uq_participants_programme_id")
        ),
    )
    op.create_table(
        "phases",
        *_ref("phases"),
        sa.Column("phase_id", ID, nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
    )
    op.create_table(
        "exits",
        sa.Column("participant_ref", ROW_ID, nullable=False),
        sa.Column("exit_date", sa.Date(), nullable=False),
        sa.Column("reason", CODE, nullable=False),
        sa.Column("destination_family", CODE, nullable=False),
        sa.Column("destination_sector", CODE, nullable=False),
        sa.Column("contract", CODE, nullable=True),
        sa.Column("contract_months", sa.Numeric(), nullable=True),
        sa.Column("qualifying", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_ref"],
            ["participants.id"],
            name=op.f("fk_exits_participant_ref_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_ref", name=op.f("pk_exits")),
    )
    op.create_table(
        "contacts",
        *_ref("contacts"),
        sa.Column("contact_date", sa.Date(), nullable=False),
        sa.Column("situation_family", CODE, nullable=False),
        sa.Column("situation_sector", CODE, nullable=False),
        sa.Column("contract", CODE, nullable=True),
        sa.Column("contract_months", sa.Numeric(), nullable=True),
        sa.Column("qualifying", sa.Boolean(), nullable=True),
        sa.Column("channel", CODE, nullable=True),
    )
    op.create_table(
        "attendance",
        *_ref("attendance"),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("half_day", CODE, nullable=True),
        sa.Column("status", CODE, nullable=False),
    )
    # Personal data, apart from the core.
    op.create_table(
        "personal_data",
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("participant_id", ID, nullable=False),
        sa.Column("first_name", sa.Text(), nullable=True),
        sa.Column("last_name", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        _programme_fk("personal_data"),
        sa.PrimaryKeyConstraint("programme_id", "participant_id", name=op.f("pk_personal_data")),
    )
    _personal_text("contact_notes", "note", "contacts")
    _personal_text("attendance_reasons", "reason", "attendance")


def downgrade() -> None:
    for table in (
        "attendance_reasons",
        "contact_notes",
        "personal_data",
        "attendance",
        "contacts",
        "exits",
        "phases",
    ):
        op.drop_table(table)
    for table in ("participants", "cohorts", "programmes"):
        op.drop_table(table)
