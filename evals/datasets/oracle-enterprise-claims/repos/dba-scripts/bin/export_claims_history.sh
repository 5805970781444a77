#!/bin/bash
# Nightly Data Pump export of the CLAIMS_HISTORY schema (service CLAIMSHIST).
# Keeps 14 days of dumps under /u01/exports.
set -euo pipefail

. /opt/oracle/etc/oraenv.sh
export ORACLE_SID=CLAIMSHIST
STAMP=$(date +%Y%m%d)
DUMP_DIR=/u01/exports

expdp "/@CLAIMSHIST" schemas=CLAIMS_HISTORY directory=DATA_PUMP_DIR \
  dumpfile=claims_history_${STAMP}_%U.dmp logfile=claims_history_${STAMP}.log \
  parallel=4 compression=ALL

sqlplus -s /nolog <<EOF
CONNECT /@CLAIMSHIST
SET HEADING OFF FEEDBACK OFF
SELECT COUNT(*) FROM CLAIMS_HISTORY.CLAIM_EVENT;
EXIT
EOF

find "$DUMP_DIR" -name 'claims_history_*.dmp' -mtime +14 -delete
