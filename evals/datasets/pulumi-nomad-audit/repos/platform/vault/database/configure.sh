#!/usr/bin/env bash
# Configure the Vault database secrets engine for the audit Postgres instances.
# Run by platform on-call after a new instance is created. Needs a token with the `db-admin` policy.
set -euo pipefail

RDS_SUFFIX="c9xk2lq0abcd.eu-west-1.rds.amazonaws.com"

vault write database/config/audit \
  plugin_name=postgresql-database-plugin \
  allowed_roles="audit-rw,audit-ro" \
  connection_url="postgresql://{{username}}:{{password}}@audit-prod-01.${RDS_SUFFIX}:5432/audit?sslmode=require" \
  username="vault_admin" \
  password="${AUDIT_PG_PASSWORD}"

vault write database/config/audit-events \
  plugin_name=postgresql-database-plugin \
  allowed_roles="audit-events-rw,audit-events-ro" \
  connection_url="postgresql://{{username}}:{{password}}@aevt-prod-01.${RDS_SUFFIX}:5432/audit_events?sslmode=require" \
  username="vault_admin" \
  password="${AUDIT_EVENTS_PG_PASSWORD}"

for role in rw ro; do
  vault write "database/roles/audit-${role}" \
    db_name=audit \
    creation_statements="CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT audit_${role} TO \"{{name}}\";" \
    default_ttl=1h max_ttl=24h
done

vault write database/roles/audit-events-rw \
  db_name=audit-events \
  creation_statements="CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT audit_events_rw TO \"{{name}}\";" \
  default_ttl=1h max_ttl=24h

vault write database/roles/audit-events-ro \
  db_name=audit-events \
  creation_statements="CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT audit_events_ro TO \"{{name}}\";" \
  default_ttl=1h max_ttl=24h
