"""Stored facts: each participant's settled outcome facts as a row, for reports.

``participant_facts`` holds each participant's outcome facts once they no
longer depend on as_of, rewritten with the journey in the same transaction
(docs/architecture.md, Stored facts). The upgrade derives the rows of the
participants already stored.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

ID = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CODE = sa.String(length=32)
FLAGS = (
    "responded",
    "in_l4",
    "job_searching_upon_leaving",
    "training_upon_leaving",
    "employment_upon_leaving",
    "in_l6",
    "employment_six_months",
)


def upgrade() -> None:
    op.create_table(
        "participant_facts",
        sa.Column("participant_ref", ROW_ID, nullable=False),
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=False),
        sa.Column("participant_id", ID, nullable=False),
        sa.Column("cohort_id", ID, nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("exit_date", sa.Date(), nullable=True),
        sa.Column("population", CODE, nullable=False),
        sa.Column("outcome", CODE, nullable=True),
        sa.Column("first_family", CODE, nullable=True),
        sa.Column("first_sector", CODE, nullable=True),
        *(sa.Column(name, sa.Boolean(), nullable=False) for name in FLAGS),
        sa.Column("dynamic_exit", CODE, nullable=True),
        sa.Column("checkins", sa.Text(), nullable=False),
        sa.Column("days_to_positive", sa.Integer(), nullable=True),
        sa.Column("gender", CODE, nullable=True),
        sa.Column("age_at_entry", sa.Integer(), nullable=True),
        sa.Column("education_level", CODE, nullable=True),
        sa.Column("qpv", sa.Boolean(), nullable=True),
        sa.Column("status_at_entry", CODE, nullable=True),
        sa.Column("leaver_days", sa.Integer(), nullable=True),
        sa.Column("leaver_event", sa.Boolean(), nullable=True),
        *(sa.Column(f"h{i}", sa.BigInteger(), nullable=False) for i in range(8)),
        sa.ForeignKeyConstraint(
            ["participant_ref"],
            ["participants.id"],
            name=op.f("fk_participant_facts_participant_ref_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_ref", name=op.f("pk_participant_facts")),
    )
    op.create_index(
        "ix_participant_facts_programme_settled",
        "participant_facts",
        ["programme_id", "settled_on"],
    )
    _fill()


def _fill() -> None:
    """Derive the rows of the participants stored before this revision."""
    from insertion_core.default_plugins.programme_source import programme_from_source
    from insertion_core.default_plugins.sql.stored_facts import store_programme_facts

    session = Session(bind=op.get_bind())
    for programme_id, source in session.execute(sa.text("SELECT id, source FROM programmes")):
        store_programme_facts(session, programme_from_source(programme_id, source))
    session.flush()


def downgrade() -> None:
    op.drop_index("ix_participant_facts_programme_settled", table_name="participant_facts")
    op.drop_table("participant_facts")
