#!/usr/bin/env bash
# Nightly logical backups of the Atlas databases to S3 (on top of Atlas cloud backups).
# Runs on ops-cron-01 from mongo-nightly-backup.timer at 02:30 UTC.
set -euo pipefail

BACKUP_BUCKET="${BACKUP_BUCKET:-acme-db-backups}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
WORKDIR="$(mktemp -d /var/tmp/mongo-backup.XXXXXX)"
trap 'rm -rf "$WORKDIR"' EXIT

: "${BACKUP_USER:?}" "${BACKUP_PASSWORD:?}"

DATABASES=(
  catalog_core
  catalog_media
  catalog_media_archive
  reviews
)

declare -A CLUSTER_HOST=(
  [catalog_core]="acme-catalog-core.x7k2p.mongodb.net"
  [catalog_media]="acme-cm-prod.x7k2p.mongodb.net"
  [catalog_media_archive]="acme-cm-archive.x7k2p.mongodb.net"
  [reviews]="acme-reviews.x7k2p.mongodb.net"
)

for db in "${DATABASES[@]}"; do
  host="${CLUSTER_HOST[$db]}"
  out="$WORKDIR/${db}-${STAMP}.archive.gz"
  echo "$(date -u +%T) dumping ${db} from ${host}"
  mongodump \
    --uri "mongodb+srv://${BACKUP_USER}:${BACKUP_PASSWORD}@${host}/${db}" \
    --readPreference secondary \
    --gzip --archive="$out"
  aws s3 cp "$out" "s3://${BACKUP_BUCKET}/mongo/${db}/${STAMP}.archive.gz" --only-show-errors
  echo "acme.mongo_backup.age_hours:0|g|#db:${db}" | nc -u -w1 127.0.0.1 8125 || true
  rm -f "$out"
done

# TODO(CAT-1482): drop catalog_media from DATABASES once the final dump is in Glacier
