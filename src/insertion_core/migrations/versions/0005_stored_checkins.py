"""Stored check-ins: the counsellor's lists read from an index.

``participant_checkins`` holds each follow-up check-in of an exited,
non-neutralised participant, rewritten with the journey it comes from
(docs/architecture.md, Stored check-ins); ``followups due`` reads a range of
its (programme, due date) index. Attendance gets an index on its date, for
``followups at-risk``. The upgrade derives the check-ins of the participants
already stored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

ID = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "participant_checkins",
        sa.Column("participant_ref", ROW_ID, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("checkpoint_months", sa.Integer(), nullable=False),
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("exit_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("late_end", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_ref"],
            ["participants.id"],
            name=op.f("fk_participant_checkins_participant_ref_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_ref", "position", name=op.f("pk_participant_checkins")
        ),
    )
    op.create_index(
        "ix_participant_checkins_programme_due",
        "participant_checkins",
        ["programme_id", "due_date"],
    )
    op.create_index("ix_attendance_date", "attendance", ["date"])
    _derive()


def _derive() -> None:
    """Derive the check-ins of the participants stored before this revision, programme by programme."""
    from insertion_core.default_plugins.programme_source import programme_from_source
    from insertion_core.default_plugins.sql.stored_checkins import store_programme_checkins

    session = Session(bind=op.get_bind())
    for programme_id, source in session.execute(sa.text("SELECT id, source FROM programmes")):
        store_programme_checkins(session, programme_from_source(programme_id, source))
    session.flush()


def downgrade() -> None:
    op.drop_index("ix_attendance_date", table_name="attendance")
    op.drop_index("ix_participant_checkins_programme_due", table_name="participant_checkins")
    op.drop_table("participant_checkins")
