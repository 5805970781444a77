output "payroll_ledger_endpoint" {
  description = "host:port of the Payroll Ledger database."
  value       = aws_db_instance.payroll_ledger.endpoint
}

output "payroll_ledger_archive_endpoint" {
  description = "host:port of the ledger archive database."
  value       = aws_db_instance.payroll_ledger_archive.endpoint
}
