"""Nightly revenue summary computed from the order history database.

Writes one row per (day, currency) into reporting.daily_revenue on the same
database and posts a short summary to #finance-daily.
"""
import logging
import os
from datetime import date, datetime, time, timedelta, timezone

import requests
from celery import shared_task
from django.conf import settings
from sqlalchemy import create_engine

from reporting.engine import HISTORY_ENGINE, ORDERS_ENGINE
from reporting.queries import CLOSED_ORDERS_BY_DAY, CLOSED_ROW_COUNT, SOURCE_ROW_COUNT, UPSERT_DAILY

log = logging.getLogger(__name__)


def _replica_engine():
    # Heavy reads go to the streaming replica, writes to the primary.
    url = os.environ["REPORTING_DB_URL"]
    return create_engine(url, pool_size=1, max_overflow=0, future=True)


@shared_task(name="reporting.daily_summary.build_daily_summary")
def build_daily_summary(day_iso=None):
    day = date.fromisoformat(day_iso) if day_iso else date.today() - timedelta(days=1)
    start = datetime.combine(day, time.min, tzinfo=timezone.utc)
    end = start + timedelta(days=1)

    replica = _replica_engine()
    try:
        with replica.connect() as conn:
            rows = conn.execute(CLOSED_ORDERS_BY_DAY, {"start": start, "end": end}).mappings().all()
    finally:
        replica.dispose()

    with HISTORY_ENGINE.begin() as conn:
        for row in rows:
            conn.execute(UPSERT_DAILY, dict(row))

    _reconcile(day)
    _post_to_slack(day, rows)
    return len(rows)


def _reconcile(day):
    """Compare what the copy job marked as archived with what landed in order_history."""
    with ORDERS_ENGINE.connect() as conn:
        expected = conn.execute(SOURCE_ROW_COUNT, {"day": day}).scalar_one()
    with HISTORY_ENGINE.connect() as conn:
        actual = conn.execute(CLOSED_ROW_COUNT, {"day": day}).scalar_one()
    if expected != actual:
        log.error("reconciliation mismatch for %s: orders=%d order_history=%d", day, expected, actual)


def _post_to_slack(day, rows):
    if not settings.SLACK_WEBHOOK_URL:
        return
    lines = [f"*Revenue {day:%Y-%m-%d}*"]
    for row in rows:
        gross = row["gross_cents"] / 100
        refunded = row["refunded_cents"] / 100
        lines.append(f"{row['currency']}: {row['order_count']} orders, {gross:,.2f} gross, {refunded:,.2f} refunded")
    try:
        requests.post(settings.SLACK_WEBHOOK_URL, json={"text": "\n".join(lines)}, timeout=5)
    except requests.RequestException:
        log.warning("could not post daily summary to Slack", exc_info=True)
