#!/bin/bash
# Nightly optimizer statistics for all application schemas.
set -euo pipefail

. /opt/oracle/etc/oraenv.sh
SCHEMAS="POLICY_CORE BILLING_LEDGER CLAIMS_HISTORY CLAIMS_HISTORY_ARCHIVE"

for schema in $SCHEMAS; do
  case "$schema" in
    POLICY_CORE|BILLING_LEDGER) tns=POLICYCORE ;;
    CLAIMS_HISTORY)             tns=CLAIMSHIST ;;
    CLAIMS_HISTORY_ARCHIVE)     tns=CLAIMSARCH ;;
  esac
  sqlplus -s "/@${tns}" <<EOF
EXEC DBMS_STATS.GATHER_SCHEMA_STATS(ownname => '${schema}', cascade => TRUE, degree => 4);
EXIT
EOF
done
