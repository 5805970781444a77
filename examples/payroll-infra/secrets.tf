# -----------------------------------------------------------------------------
# Payroll Ledger master credentials. External Secrets copies this secret into
# the payroll namespace on EKS; nobody should need to read it by hand.
# -----------------------------------------------------------------------------

resource "random_password" "payroll_ledger" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "payroll_ledger" {
  name                    = "prod/payroll-ledger/master"
  description             = "Master credentials for the Payroll Ledger database"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "payroll_ledger" {
  secret_id = aws_secretsmanager_secret.payroll_ledger.id
  secret_string = jsonencode({
    engine   = "postgres"
    host     = aws_db_instance.payroll_ledger.address
    port     = aws_db_instance.payroll_ledger.port
    dbname   = aws_db_instance.payroll_ledger.db_name
    username = aws_db_instance.payroll_ledger.username
    password = random_password.payroll_ledger.result
  })
}
