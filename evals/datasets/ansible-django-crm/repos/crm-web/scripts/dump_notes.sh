#!/usr/bin/env bash
# Logical dump of crm_notes before a risky migration. Usage: scripts/dump_notes.sh
set -euo pipefail
: "${NOTES_DATABASE_URL:?set NOTES_DATABASE_URL (see .env.example)}"
out="backups/notes-$(date +%Y%m%d%H%M).dump"
mkdir -p backups
pg_dump --format=custom --no-owner "$NOTES_DATABASE_URL" -f "$out"
echo "wrote $out"
