#!/usr/bin/env bash
# Logical backups (pg_dump, custom format) of the payroll databases to S3.
#
# Usage: scripts/backup.sh [database ...]
#   With no arguments, every database in DATABASES is dumped.
#
# Needs pg_dump, the AWS CLI, and AWS credentials allowed to rds-db:connect as
# the "backup" user (payroll-infra/iam.tf).
set -euo pipefail

: "${BACKUP_BUCKET:?BACKUP_BUCKET must be set}"
AWS_REGION="${AWS_REGION:-eu-west-1}"
RDS_DOMAIN="${RDS_DOMAIN:-cx3k9mzq1wvb.eu-west-1.rds.amazonaws.com}"

DATABASES=(payroll payroll_ledger payroll_ledger_archive)
if (($# > 0)); then
  DATABASES=("$@")
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

export PGSSLMODE=require

for db in "${DATABASES[@]}"; do
  # RDS instances are named after their database: payroll -> payroll-prod.
  host="${db//_/-}-prod.${RDS_DOMAIN}"
  dump="${workdir}/${db}.dump"

  echo "==> ${db} (${host})"
  PGPASSWORD="$(aws rds generate-db-auth-token --region "$AWS_REGION" \
    --hostname "$host" --port 5432 --username backup)"
  export PGPASSWORD

  pg_dump --host "$host" --username backup --dbname "$db" \
    --format custom --no-owner --file "$dump"
  aws s3 cp --only-show-errors "$dump" "s3://${BACKUP_BUCKET}/${db}/${stamp}.dump"
done

echo "Backed up ${#DATABASES[@]} database(s) to s3://${BACKUP_BUCKET}/"
