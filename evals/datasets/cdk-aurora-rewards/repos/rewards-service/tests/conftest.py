import os

import pytest
from sqlalchemy import text

os.environ.setdefault("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/rewards_ledger_test")


@pytest.fixture(scope="session")
def rewards_ledger_db():
    from rewards.db import LEDGER_ENGINE

    yield LEDGER_ENGINE
    LEDGER_ENGINE.dispose()


@pytest.fixture(autouse=True)
def clean_tables(rewards_ledger_db):
    with rewards_ledger_db.begin() as conn:
        conn.execute(text("TRUNCATE ledger_entries, pending_accruals"))
    yield
