# Non-secret connection settings. payroll-ledger-service reads everything under the
# /payroll/prod/payroll-ledger/ path at boot.
resource "aws_ssm_parameter" "payroll_ledger_host" {
  name  = "/payroll/prod/payroll-ledger/host"
  type  = "String"
  value = aws_route53_record.payroll_ledger_db.fqdn
}

resource "aws_ssm_parameter" "payroll_ledger_port" {
  name  = "/payroll/prod/payroll-ledger/port"
  type  = "String"
  value = tostring(aws_db_instance.main.port)
}

resource "aws_ssm_parameter" "payroll_ledger_replica_host" {
  name  = "/payroll/prod/payroll-ledger/replica-host"
  type  = "String"
  value = aws_route53_record.payroll_ledger_ro.fqdn
}

resource "aws_ssm_parameter" "payroll_ledger_secret" {
  name  = "/payroll/prod/payroll-ledger/secret-arn"
  type  = "String"
  value = aws_secretsmanager_secret.payroll_ledger_creds.arn
}

# Finance reporting (Metabase) reads the replica over JDBC.
resource "aws_ssm_parameter" "payroll_ledger_ro_url" {
  name  = "/finance-reporting/prod/payroll-ledger/jdbc-url"
  type  = "String"
  value = "jdbc:postgresql://payroll-ledger-ro.internal:5432/payroll_ledger?sslmode=verify-full"
}

resource "aws_ssm_parameter" "archive_host" {
  name  = "/payroll/prod/payroll-ledger-archive/host"
  type  = "String"
  value = aws_route53_record.archive_db.fqdn
}

resource "aws_ssm_parameter" "ledger_events_topic" {
  name  = "/payroll/prod/ledger-events/topic-arn"
  type  = "String"
  value = data.aws_sns_topic.ledger_events.arn
}
