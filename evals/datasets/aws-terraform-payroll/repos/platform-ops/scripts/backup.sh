#!/usr/bin/env bash
# Nightly logical backups (pg_dump -Fc) of the payroll-domain databases to S3.
#
# Usage: scripts/backup.sh [database ...]    (no arguments = every entry in DATABASES)
#
# RDS automated snapshots cover point-in-time recovery. These dumps exist for the 7-year
# retention requirement and for restores into environments outside AWS.
set -euo pipefail

BUCKET="${BACKUP_BUCKET:-s3://bp-db-backups}"
REGION="${AWS_REGION:-us-east-1}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
WORKDIR="$(mktemp -d)"
trap 'rm -rf "$WORKDIR"' EXIT

DATABASES=(payroll payroll_ledger payroll_ledger_archive timesheets)

# Endpoint to dump from. Use the replica wherever one exists.
declare -A HOSTS=(
  [payroll]="payroll-prod-ro.c9xk2.us-east-1.rds.amazonaws.com"
  [payroll_ledger]="payroll-ledger-replica.c9xk2.us-east-1.rds.amazonaws.com"
  [payroll_ledger_archive]="payroll-ledger-archive.c9xk2.us-east-1.rds.amazonaws.com"
  [timesheets]="timesheets-prod.c9xk2.us-east-1.rds.amazonaws.com"
)

# IAM-auth read-only user in each database (rds-db:connect is granted to gha-db-backup).
declare -A USERS=(
  [payroll]="payroll_ro"
  [payroll_ledger]="payroll_ledger_ro"
  [payroll_ledger_archive]="archive_ro"
  [timesheets]="timesheets_ro"
)

log() { printf '%s backup: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

dump_one() {
  local db="$1"
  local host="${HOSTS[$db]:?unknown database $db}"
  local user="${USERS[$db]}"
  local extra=()

  PGPASSWORD="$(aws rds generate-db-auth-token --hostname "$host" --port 5432 --username "$user" --region "$REGION")"
  export PGPASSWORD PGSSLMODE=require

  if [[ "$db" == "payroll_ledger" ]]; then
    # pg_cron's job table is recreated by the pg-bootstrap module; restoring it from a
    # dump would schedule partition maintenance twice.
    extra+=(--exclude-schema=cron)
  fi

  log "dumping $db from $host as $user"
  pg_dump -h "$host" -U "$user" -d "$db" -Fc --no-owner ${extra[@]+"${extra[@]}"} -f "$WORKDIR/$db.dump"
  aws s3 cp --only-show-errors --sse aws:kms "$WORKDIR/$db.dump" "$BUCKET/$db/$STAMP.dump"
  log "uploaded $BUCKET/$db/$STAMP.dump ($(du -h "$WORKDIR/$db.dump" | cut -f1))"
  rm -f "$WORKDIR/$db.dump"
}

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=("${DATABASES[@]}")
fi

for db in "${targets[@]}"; do
  dump_one "$db"
done
