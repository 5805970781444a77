"""Integration tests for the reporting SQL. They need a real order_history Postgres:

    docker compose up -d history-db
    ORDER_HISTORY_DATABASE_URL=postgres://orderhistory_rw:localdev@localhost:5433/order_history alembic upgrade head
    make test-integration
"""
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from reporting.daily_summary import _replica_engine
from reporting.engine import HISTORY_ENGINE
from reporting.queries import CLOSED_ORDERS_BY_DAY, REFUNDS_FOR_CUSTOMER

pytestmark = pytest.mark.order_history_db

CUSTOMER = uuid.UUID("6f1d2c3e-0000-4000-8000-000000000001")
DAY = datetime(2023, 11, 3, tzinfo=timezone.utc)

INSERT = text(
    "INSERT INTO public.orders_closed (order_id, customer_id, total_cents, refunded_cents, currency, closed_at, copied_at)"
    " VALUES (:order_id, :customer_id, :total_cents, :refunded_cents, :currency, :closed_at, now())"
)


@pytest.fixture
def seeded():
    rows = [
        {"order_id": 900001, "customer_id": CUSTOMER, "total_cents": 4599, "refunded_cents": 0, "currency": "EUR", "closed_at": DAY},
        {"order_id": 900002, "customer_id": CUSTOMER, "total_cents": 1250, "refunded_cents": 1250, "currency": "EUR", "closed_at": DAY},
        {"order_id": 900003, "customer_id": CUSTOMER, "total_cents": 3000, "refunded_cents": 0, "currency": "GBP", "closed_at": DAY},
    ]
    with HISTORY_ENGINE.begin() as conn:
        conn.execute(INSERT, rows)
    yield rows
    with HISTORY_ENGINE.begin() as conn:
        conn.execute(text("DELETE FROM public.orders_closed WHERE customer_id = :c"), {"c": CUSTOMER})


def test_closed_orders_by_day_groups_by_currency(seeded):
    with HISTORY_ENGINE.connect() as conn:
        rows = conn.execute(CLOSED_ORDERS_BY_DAY, {"start": DAY, "end": DAY.replace(day=4)}).mappings().all()
    by_currency = {r["currency"]: r for r in rows}
    assert by_currency["EUR"]["order_count"] >= 2
    assert by_currency["EUR"]["refunded_cents"] >= 1250
    assert "GBP" in by_currency


def test_refunds_for_customer_only_returns_refunded_orders(seeded):
    with HISTORY_ENGINE.connect() as conn:
        rows = conn.execute(REFUNDS_FOR_CUSTOMER, {"customer_id": CUSTOMER}).all()
    assert [r.order_id for r in rows] == [900002]


def test_replica_engine_uses_reporting_url(monkeypatch):
    monkeypatch.setenv("REPORTING_DB_URL", "postgresql://orderhistory_ro:localdev@localhost:5433/order_history")
    engine = _replica_engine()
    assert engine.url.database == "order_history"
    engine.dispose()
