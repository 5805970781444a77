#!/bin/bash
# Weekly RMAN level-0 backups, one command file per database.
set -euo pipefail

. /opt/oracle/etc/oraenv.sh
for db in POLICYCORE CLAIMSHIST; do
  rman cmdfile="/opt/dba-scripts/rman/${db,,}_level0.rcv" log="/var/log/rman/${db}_$(date +%F).log"
done
