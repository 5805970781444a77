#!/usr/bin/env bash
# Final export of stock_reservations before the instance is deleted (FUL-2291).
# Usage: scripts/export-final-backup.sh [project]
set -euo pipefail

PROJECT="${1:-acme-prod}"
STOCK_RESERVATIONS_INSTANCE="stock-reservations-prod"
EXPORT_BUCKET="gs://acme-prod-sql-exports"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"

echo "Exporting ${STOCK_RESERVATIONS_INSTANCE} from ${PROJECT}"
gcloud sql export sql "${STOCK_RESERVATIONS_INSTANCE}" \
  "${EXPORT_BUCKET}/stock_reservations/final-${STAMP}.sql.gz" \
  --project="${PROJECT}" \
  --database=stock_reservations \
  --offload

# The archive (stock-reservations-history-prod) is exported by finance on its own schedule.
gcloud sql operations list --instance="${STOCK_RESERVATIONS_INSTANCE}" --project="${PROJECT}" --limit=1
