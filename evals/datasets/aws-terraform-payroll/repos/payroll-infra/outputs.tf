output "db_endpoint" {
  description = "Primary endpoint (host:port). Applications should use payroll-ledger-db.internal instead."
  value       = aws_db_instance.main.endpoint
}

output "db_resource_id" {
  description = "dbi-resource-id, needed for rds-db:connect ARNs in other stacks."
  value       = aws_db_instance.main.resource_id
}

output "payroll_ledger_replica_endpoint" {
  description = "Reporting replica endpoint."
  value       = module.read_replica.endpoint
}

output "payroll_ledger_creds_secret" {
  description = "ARN of the read-write application secret."
  value       = aws_secretsmanager_secret.payroll_ledger_creds.arn
}

output "payroll_ledger_sg" {
  description = "Security group to reference from other stacks that need 5432 access."
  value       = aws_security_group.payroll_ledger_db.id
}

output "archive_endpoint" {
  description = "payroll_ledger_archive endpoint, consumed by finance-reporting."
  value       = aws_db_instance.archive.endpoint
}

output "internal_hostnames" {
  description = "Private DNS names managed by this stack."
  value = {
    primary = aws_route53_record.payroll_ledger_db.fqdn
    replica = aws_route53_record.payroll_ledger_ro.fqdn
    archive = aws_route53_record.archive_db.fqdn
  }
}
