# -----------------------------------------------------------------------------
# Nightly backups (platform-ops: .github/workflows/nightly-backup.yml) run
# pg_dump as the "backup" user, authenticating with IAM database auth.
# -----------------------------------------------------------------------------

data "aws_caller_identity" "current" {}

locals {
  rds_dbuser_arn_prefix = "arn:aws:rds-db:${var.aws_region}:${data.aws_caller_identity.current.account_id}:dbuser"
}

resource "aws_iam_policy" "payroll_db_backup" {
  name        = "payroll-db-backup"
  description = "pg_dump access to the payroll databases for the nightly backup job"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "ConnectAsBackupUser"
        Effect = "Allow"
        Action = "rds-db:connect"
        Resource = [
          "${local.rds_dbuser_arn_prefix}:${aws_db_instance.payroll_ledger.resource_id}/backup",
          "${local.rds_dbuser_arn_prefix}:${aws_db_instance.payroll_ledger_archive.resource_id}/backup",
        ]
      },
      {
        Sid      = "WriteDumps"
        Effect   = "Allow"
        Action   = "s3:PutObject"
        Resource = "arn:aws:s3:::acme-db-backups/*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "payroll_db_backup" {
  role       = var.backup_role_name
  policy_arn = aws_iam_policy.payroll_db_backup.arn
}
