# pg-backup: nightly pg_dump of the audit Postgres instances (nomad/jobs/pg-backup.nomad.hcl).
# Read-only roles only.

path "database/creds/audit-ro" {
  capabilities = ["read"]
}

path "database/creds/audit-events-ro" {
  capabilities = ["read"]
}

path "database/creds/audit-events-archive-ro" {
  capabilities = ["read"]
}

path "aws/sts/pg-backup-s3" {
  capabilities = ["read"]
}
