"""A version counter on each participant, for optimistic concurrency.

Every save of a journey stores the participant's version plus one; a save of
a journey read earlier in the same unit of work first checks that the
version is still the one it read, so two people changing the same
participant at once cannot overwrite each other silently.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "participants",
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )


def downgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+): a batch copy would drop the table, and
    # with it, by cascade, every participant's phases, exits and contacts.
    op.drop_column("participants", "version")
