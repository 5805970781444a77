"""SQLAlchemy engines, one per database."""

from sqlalchemy import create_engine

from app import config

PAYROLL_ENGINE = create_engine(
    config.PAYROLL_DATABASE_URL,
    pool_size=config.DB_POOL_SIZE,
    pool_pre_ping=True,
)

LEDGER_ENGINE = create_engine(
    config.PAYROLL_LEDGER_DATABASE_URL,
    pool_size=config.DB_POOL_SIZE,
    pool_pre_ping=True,
)

# Checked by GET /healthz, keyed by database name.
ENGINES = {
    "payroll": PAYROLL_ENGINE,
    "payroll_ledger": LEDGER_ENGINE,
}
