# Policy attached to the audit-events-collector Nomad job (vault { policies = [...] }).
# Dynamic Postgres credentials for the Audit Events database (read-write role)
# and for the main audit database, plus the service's own KV secrets.

path "database/creds/audit-events-rw" {
  capabilities = ["read"]
}

path "database/creds/audit-rw" {
  capabilities = ["read"]
}

path "kv/data/audit/audit-events-collector/*" {
  capabilities = ["read"]
}

path "sys/leases/renew" {
  capabilities = ["update"]
}
