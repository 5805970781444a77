"""initial rewards_ledger schema

Revision ID: a1f3c9d2
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "a1f3c9d2"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("member_id", sa.String(36), nullable=False, index=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_table(
        "pending_accruals",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False, index=True),
    )
    op.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO rewards_ledger_ro")


def downgrade() -> None:
    op.drop_table("pending_accruals")
    op.drop_table("ledger_entries")
