"""SQL used by the reporting jobs.

Every statement here runs against the order_history database through
reporting.engine.HISTORY_ENGINE. Tables are fully qualified with the database
name so the statements can be pasted into psql / DataGrip as-is.

Only order_history is read here. order_history_archive belongs to data-eng and
stays live after the retirement; never point these queries at it.
"""
from sqlalchemy import text

CLOSED_ORDERS_BY_DAY = text(
    """
    SELECT date_trunc('day', closed_at) AS day,
           currency,
           count(*)                     AS order_count,
           sum(total_cents)             AS gross_cents,
           sum(refunded_cents)          AS refunded_cents
      FROM order_history.public.orders_v
     WHERE closed_at >= :start
       AND closed_at <  :end
  GROUP BY 1, 2
  ORDER BY 1, 2
    """
)

TOP_CUSTOMERS = text(
    """
    SELECT customer_id,
           count(*)         AS order_count,
           sum(total_cents) AS lifetime_cents
      FROM order_history.public.orders_v
  GROUP BY customer_id
  ORDER BY lifetime_cents DESC
     LIMIT :limit
    """
)

REFUNDS_FOR_CUSTOMER = text("SELECT order_id, refunded_cents, closed_at FROM order_history.public.orders_v WHERE customer_id = :customer_id AND refunded_cents > 0")

# Row counts for the reconciliation check in daily_summary.py.
CLOSED_ROW_COUNT = text("SELECT count(*) FROM order_history.public.orders_closed WHERE closed_at::date = :day")
SOURCE_ROW_COUNT = text("SELECT count(*) FROM orders.public.checkout_order WHERE closed_at::date = :day AND archived_at IS NOT NULL")

UPSERT_DAILY = text(
    """
    INSERT INTO reporting.daily_revenue (day, currency, order_count, gross_cents, refunded_cents)
    VALUES (:day, :currency, :order_count, :gross_cents, :refunded_cents)
    ON CONFLICT (day, currency) DO UPDATE
       SET order_count    = EXCLUDED.order_count,
           gross_cents    = EXCLUDED.gross_cents,
           refunded_cents = EXCLUDED.refunded_cents
    """
)

# Table sizes, for the retirement runbook (how much data is left to move).
TABLE_SIZES = text(
    """
    SELECT c.relname,
           pg_size_pretty(pg_total_relation_size(c.oid)) AS total_size
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('public', 'reporting') AND c.relkind = 'r'
  ORDER BY pg_total_relation_size(c.oid) DESC
    """
)
