#!/usr/bin/env bash
# Restore a nightly dump of catalog_media into the Atlas cluster acme-cm-prod.
# Usage: $0 <STAMP> [target-db]. Restore into a scratch database first, see runbooks/catalog-media.md.
set -euo pipefail

STAMP="${1:?usage: $0 <STAMP> [target-db]}"
TARGET_DB="${2:-catalog_media}"
SOURCE="s3://acme-db-backups/mongo/catalog_media/${STAMP}.archive.gz"
URI="$(terraform -chdir="$(dirname "$0")/../terraform/atlas" output -raw catalog_media_connection_string)"

: "${RESTORE_USER:?}" "${RESTORE_PASSWORD:?}"

echo "Restoring ${SOURCE} into ${TARGET_DB}"
read -r -p "This drops the collections it restores in ${TARGET_DB}. Type the database name to go on: " answer
[[ "$answer" == "$TARGET_DB" ]] || { echo "aborted"; exit 1; }

# a restore running into the 03:00 snapshot makes the snapshot useless: check the schedule first
atlas backups schedule describe acme-cm-prod --output json | jq '.policies[0].policyItems'

aws s3 cp "$SOURCE" - \
  | mongorestore --uri "$URI" --username "$RESTORE_USER" --password "$RESTORE_PASSWORD" \
      --gzip --archive --drop \
      --nsFrom 'catalog_media.*' --nsTo "${TARGET_DB}.*"

mongosh "$URI" --username "$RESTORE_USER" --password "$RESTORE_PASSWORD" --quiet \
  --eval "db.getSiblingDB('${TARGET_DB}').assets.estimatedDocumentCount()"
