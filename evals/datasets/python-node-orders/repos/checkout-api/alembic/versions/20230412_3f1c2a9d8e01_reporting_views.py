"""reporting views on order_history

Revision ID: 3f1c2a9d8e01
Revises:
Create Date: 2023-04-12 09:41:07.118532

"""
import sqlalchemy as sa
from alembic import op

revision = "3f1c2a9d8e01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE SCHEMA IF NOT EXISTS reporting")
    op.execute(
        """
        CREATE OR REPLACE VIEW public.orders_v AS
        SELECT order_id, customer_id, total_cents, refunded_cents, currency, closed_at
          FROM public.orders_closed
         WHERE closed_at IS NOT NULL
        """
    )
    op.create_table(
        "daily_revenue",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("order_count", sa.Integer, nullable=False),
        sa.Column("gross_cents", sa.BigInteger, nullable=False),
        sa.Column("refunded_cents", sa.BigInteger, nullable=False),
        schema="reporting",
    )
    # order_history is ~380 GB, so no backfill here; the view is cheap. Keep the
    # grants explicit so the read-only role behind REPORTING_DB_URL can see both.
    op.execute("GRANT USAGE ON SCHEMA reporting TO orderhistory_ro")
    op.execute("GRANT SELECT ON public.orders_v, reporting.daily_revenue TO orderhistory_ro")


def downgrade():
    op.execute("REVOKE SELECT ON public.orders_v, reporting.daily_revenue FROM orderhistory_ro")
    op.drop_table("daily_revenue", schema="reporting")
    op.execute("DROP VIEW IF EXISTS public.orders_v")
