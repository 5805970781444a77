"""payroll-api: pay runs, payslips and their journal entries."""

from fastapi import FastAPI, HTTPException
from sqlalchemy import text

from app import ledger
from app.db import ENGINES, PAYROLL_ENGINE

app = FastAPI(title="payroll-api", version="2.8.1")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    """Report whether every database answers a trivial query."""
    status = {}
    for name, engine in ENGINES.items():
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            status[name] = "ok"
        except Exception as exc:  # a health check reports, it never raises
            status[name] = f"error: {type(exc).__name__}"
    return status


@app.get("/pay-runs/{pay_run_id}")
def get_pay_run(pay_run_id: int) -> dict:
    query = text(
        "SELECT id, period_start, period_end, status FROM pay_runs WHERE id = :id"
    )
    with PAYROLL_ENGINE.connect() as conn:
        row = conn.execute(query, {"id": pay_run_id}).mappings().first()
    if row is None:
        raise HTTPException(status_code=404, detail="pay run not found")
    return dict(row)


@app.get("/pay-runs/{pay_run_id}/journal")
def get_pay_run_journal(pay_run_id: int) -> dict:
    """The journal lines an employer sees on the payroll ledger page of the web app."""
    return {
        "pay_run_id": pay_run_id,
        "entries": ledger.journal_entries(pay_run_id),
        "balanced": ledger.is_balanced(pay_run_id),
    }
