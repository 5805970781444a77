"""Journal entries for pay runs, stored in the Payroll Ledger database."""

from decimal import Decimal

from sqlalchemy import text

from app.db import LEDGER_ENGINE


def journal_entries(pay_run_id: int) -> list[dict]:
    """Every journal line posted for a pay run, oldest first."""
    query = text(
        "SELECT account, debit, credit, posted_at FROM journal_entries "
        "WHERE pay_run_id = :pay_run_id ORDER BY posted_at, id"
    )
    with LEDGER_ENGINE.connect() as conn:
        rows = conn.execute(query, {"pay_run_id": pay_run_id}).mappings()
        return [dict(row) for row in rows]


def is_balanced(pay_run_id: int) -> bool:
    """Debits and credits of a pay run must net to zero."""
    query = text(
        "SELECT COALESCE(SUM(debit - credit), 0) FROM journal_entries "
        "WHERE pay_run_id = :pay_run_id"
    )
    with LEDGER_ENGINE.connect() as conn:
        total = conn.execute(query, {"pay_run_id": pay_run_id}).scalar_one()
    return Decimal(total) == 0
