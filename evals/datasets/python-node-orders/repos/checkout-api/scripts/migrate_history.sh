#!/usr/bin/env bash
# Copy the Order History database into the long-term archive before the decommission.
#
# Dumps orders_closed from order_history on order-history-db.internal and
# restores it into order_history_archive (owned by data-eng; it stays live).
#
# Usage: scripts/migrate_history.sh [--dry-run]
# Needs: pg_dump/pg_restore 15, PGPASSWORD for the read-only role, and
#        ORDER_HISTORY_ARCHIVE_URL for the restore target.
set -euo pipefail

DRY_RUN=0
[[ "${1:-}" == "--dry-run" ]] && DRY_RUN=1

DUMP_DIR="${DUMP_DIR:-/var/backups/pg}"
STAMP="$(date +%Y%m%d)"
DUMP_FILE="${DUMP_DIR}/order_history_${STAMP}.dump"

mkdir -p "${DUMP_DIR}"

if (( DRY_RUN )); then
  echo "would dump public.orders_closed to ${DUMP_FILE} and restore it"
  exit 0
fi

pg_dump \
  --host "${ORDER_HISTORY_DB_HOST:-order-history-db.internal}" \
  --port "${ORDER_HISTORY_DB_PORT:-5432}" \
  --username orderhistory_ro \
  --dbname order_history \
  --format custom \
  --table public.orders_closed \
  --no-owner \
  --file "${DUMP_FILE}"

pg_restore \
  --dbname "${ORDER_HISTORY_ARCHIVE_URL:?set ORDER_HISTORY_ARCHIVE_URL}" \
  --no-owner \
  --clean --if-exists \
  --jobs 4 \
  "${DUMP_FILE}"

echo "order_history dump restored into order_history_archive (${DUMP_FILE})"
echo "now compare: SELECT count(*) FROM public.orders_closed; on both sides"
