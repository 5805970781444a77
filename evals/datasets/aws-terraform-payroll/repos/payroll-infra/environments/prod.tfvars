environment = "prod"

# Payroll Ledger primary. Sized for month-end close (PAY-2291 load test, Jan 2024):
# ~3.5k TPS peak, 60% CPU on r6g.xlarge.
payroll_ledger_db = {
  instance_class          = "db.r6g.xlarge"
  allocated_storage       = 400
  max_allocated_storage   = 1500
  multi_az                = true
  backup_retention_period = 14
}

replica_instance_class = "db.r6g.large"

# payroll_ledger_archive is barely queried outside audit season (Feb-Apr).
archive_instance_class = "db.t4g.large"
