locals {
  common_tags = {
    Team       = "payroll-platform"
    CostCenter = "cc-4410"
    DataClass  = "confidential-financial"
  }

  # Same windows for every payroll RDS instance so maintenance lands in one change slot
  # (CAB approves the Sunday 07:30 UTC slot once a quarter).
  backup_window      = "06:00-06:45"
  maintenance_window = "sun:07:30-sun:08:30"

  # Database users that authenticate with IAM tokens instead of passwords. They are created
  # inside the database by module.payroll_ledger_db and granted rds-db:connect in iam.tf.
  ledger_iam_users = ["payroll_ledger_ro"]
}
