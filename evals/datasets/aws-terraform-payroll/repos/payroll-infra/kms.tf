resource "aws_kms_key" "rds" {
  description             = "CMK for payroll RDS storage, logs and secrets (payroll_ledger, payroll_ledger_archive)"
  deletion_window_in_days = 30
  enable_key_rotation     = true

  tags = local.common_tags
}

resource "aws_kms_alias" "rds" {
  name          = "alias/payroll-rds"
  target_key_id = aws_kms_key.rds.key_id
}
