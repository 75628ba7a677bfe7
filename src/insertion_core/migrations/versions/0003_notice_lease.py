"""The notice ledger's lease: which run is sending a notice, and until when.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Entries left ``sending`` before this revision have no lease: taken as a crash's.
    op.add_column("notices", sa.Column("owner", sa.Text(), nullable=True))
    op.add_column("notices", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notices") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("owner")
