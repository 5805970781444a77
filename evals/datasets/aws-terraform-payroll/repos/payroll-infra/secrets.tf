# Password login for the application (payroll-ledger-service). The service connects as
# payroll_ledger_rw through the payroll-ledger-db.internal CNAME. Humans and jobs use IAM
# auth instead (see locals.tf), so this is the only long-lived database password we keep.
resource "random_password" "payroll_ledger_rw" {
  length           = 32
  special          = true
  override_special = "!#%*-_=+"
}

resource "aws_secretsmanager_secret" "payroll_ledger_creds" {
  name                    = "prod/payroll-ledger/app-credentials"
  description             = "payroll_ledger read-write application login"
  kms_key_id              = aws_kms_key.rds.arn
  recovery_window_in_days = 30

  tags = local.common_tags
}

resource "aws_secretsmanager_secret_version" "payroll_ledger_creds" {
  secret_id = aws_secretsmanager_secret.payroll_ledger_creds.id
  secret_string = jsonencode({
    engine   = "postgres"
    host     = aws_route53_record.payroll_ledger_db.fqdn
    port     = aws_db_instance.main.port
    dbname   = aws_db_instance.main.db_name
    username = "payroll_ledger_rw"
    password = random_password.payroll_ledger_rw.result
  })

  # Rotated out of band by platform-ops/scripts/rotate-creds.ps1.
  lifecycle {
    ignore_changes = [secret_string]
  }
}
