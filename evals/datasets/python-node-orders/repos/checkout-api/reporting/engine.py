"""SQLAlchemy engines for the reporting jobs.

The Django ORM is fine for request/response work, but the reporting jobs stream
millions of rows out of the Order History database, so they use SQLAlchemy Core
with server-side cursors instead. Import the engines from here so each process
keeps a single pool per database.
"""
from django.conf import settings
from sqlalchemy import create_engine

# order_history primary (RDS db.r6g.xlarge, max_connections=400). The reporting
# queue runs with concurrency 2, so a small pool is plenty.
HISTORY_ENGINE = create_engine(settings.ORDER_HISTORY_URL, pool_size=3, max_overflow=2, pool_pre_ping=True, future=True)

# Main orders database, used only to reconcile counts against the copy job.
ORDERS_ENGINE = create_engine(settings.ORDERS_DATABASE_URL, pool_size=2, max_overflow=0, pool_pre_ping=True, future=True)
