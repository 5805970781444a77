"""Settings read from the environment once, at import time (see .env.example)."""

import os

# Main payroll database: employees, pay runs, payslips.
PAYROLL_DATABASE_URL = os.environ["PAYROLL_DATABASE_URL"]

# Payroll Ledger database: the double-entry journal posted for each pay run.
PAYROLL_LEDGER_DATABASE_URL = os.environ["PAYROLL_LEDGER_DATABASE_URL"]

# Connections kept open per database, per worker process.
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "5"))
