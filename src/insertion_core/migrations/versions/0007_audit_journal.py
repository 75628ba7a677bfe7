"""The audit journal, append-only by the database's own triggers, and its subject tokens.

``audit_journal`` says who did what, when; triggers refuse every UPDATE and
DELETE on it (and TRUNCATE on PostgreSQL), whoever the client is.
``audit_subjects`` maps a participant to the random token the journal names
them by; deleting a row there is how erasure makes their entries unlinkable.

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

ID = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

REFUSAL = "the audit journal is append-only"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER audit_journal_no_update BEFORE UPDATE ON audit_journal
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: an entry cannot be changed'); END""",
    f"""CREATE TRIGGER audit_journal_no_delete BEFORE DELETE ON audit_journal
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: an entry cannot be deleted'); END""",
)

POSTGRESQL_TRIGGERS = (
    f"""CREATE FUNCTION audit_journal_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_journal_append_only BEFORE UPDATE OR DELETE ON audit_journal
    FOR EACH ROW EXECUTE FUNCTION audit_journal_refuse()""",
    """CREATE TRIGGER audit_journal_no_truncate BEFORE TRUNCATE ON audit_journal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_journal_refuse()""",
)


def upgrade() -> None:
    op.create_table(
        "audit_journal",
        sa.Column("seq", ROW_ID, autoincrement=True, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("operation", sa.String(length=64), nullable=False),
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=True),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_journal")),
    )
    op.create_index(op.f("ix_audit_journal_programme_id"), "audit_journal", ["programme_id"])
    op.create_index(op.f("ix_audit_journal_subject"), "audit_journal", ["subject"])
    op.create_table(
        "audit_subjects",
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("participant_id", ID, nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_audit_subjects_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", "participant_id", name=op.f("pk_audit_subjects")),
        sa.UniqueConstraint("token", name=op.f("uq_audit_subjects_token")),
    )
    triggers = (
        POSTGRESQL_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    )
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("audit_subjects")
    op.drop_index(op.f("ix_audit_journal_subject"), table_name="audit_journal")
    op.drop_index(op.f("ix_audit_journal_programme_id"), table_name="audit_journal")
    op.drop_table("audit_journal")  # its triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_journal_refuse()")
