#!/usr/bin/env bash
# Quick health probe for the Payroll Ledger database. Used by on-call, and by the nightly
# backup workflow before it starts dumping.
#
#   DATABASE_URL=postgresql://payroll_ledger_ro@payroll-ledger-prod.c9xk2.us-east-1.rds.amazonaws.com:5432/payroll_ledger?sslmode=require \
#     scripts/ledger-healthcheck.sh
set -euo pipefail

if [[ -f .env ]]; then
  set -a
  # shellcheck disable=SC1091
  source .env
  set +a
fi

: "${DATABASE_URL:?set DATABASE_URL (see .env.example)}"

# IAM auth: mint a 15-minute token for the user in DATABASE_URL unless a password is set.
if [[ -z "${PGPASSWORD:-}" ]]; then
  PGPASSWORD="$(aws rds generate-db-auth-token \
    --hostname "${PAYROLL_LEDGER_HOST:-payroll-ledger-prod.c9xk2.us-east-1.rds.amazonaws.com}" \
    --port "${PAYROLL_LEDGER_PORT:-5432}" \
    --username "${PAYROLL_LEDGER_USER:-payroll_ledger_ro}" \
    --region "${AWS_REGION:-us-east-1}")"
  export PGPASSWORD
fi

psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qAt -F ' ' <<'SQL'
select 'version',          split_part(version(), ' ', 2);
select 'in_recovery',      pg_is_in_recovery();
select 'connections',      count(*) from pg_stat_activity where datname = current_database();
select 'oldest_xact_secs', coalesce(extract(epoch from max(now() - xact_start))::int, 0)
  from pg_stat_activity where state <> 'idle';
select 'last_posting',     max(posted_at) from ledger.postings;
SQL

# The archive is a separate instance; only look at it when asked to.
if [[ -n "${ARCHIVE_DATABASE_URL:-}" && "${CHECK_ARCHIVE:-0}" == "1" ]]; then
  psql "$ARCHIVE_DATABASE_URL" -qAt -c "select 'archive_max_year', max(fiscal_year) from archive.closed_years"
fi
