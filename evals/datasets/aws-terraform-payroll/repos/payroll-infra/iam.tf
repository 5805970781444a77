locals {
  rds_db_arn_prefix = "arn:aws:rds-db:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:dbuser"
}

# rds-db:connect for the IAM-authenticated database users. One policy document for all
# payroll databases so the backup and reporting roles need a single attachment.
data "aws_iam_policy_document" "payroll_db_connect" {
  statement {
    sid     = "PayrollLedgerRds"
    effect  = "Allow"
    actions = ["rds-db:connect"]
    resources = [
      "${local.rds_db_arn_prefix}:${aws_db_instance.main.resource_id}/payroll_ledger_ro",
      "${local.rds_db_arn_prefix}:${module.read_replica.resource_id}/payroll_ledger_ro",
    ]
  }

  statement {
    sid     = "PayrollLedgerArchive"
    effect  = "Allow"
    actions = ["rds-db:connect"]
    resources = [
      "${local.rds_db_arn_prefix}:${aws_db_instance.archive.resource_id}/archive_ro",
    ]
  }

  statement {
    sid       = "PayrollCore"
    effect    = "Allow"
    actions   = ["rds-db:connect"]
    resources = ["${local.rds_db_arn_prefix}:${data.aws_db_instance.payroll.resource_id}/payroll_ro"]
  }
}

resource "aws_iam_policy" "payroll_db_connect" {
  name        = "payroll-db-connect"
  description = "IAM database auth for payroll, payroll_ledger and payroll_ledger_archive"
  policy      = data.aws_iam_policy_document.payroll_db_connect.json
}

# gha-db-backup: nightly pg_dump jobs in platform-ops. finance-reporting: Metabase.
resource "aws_iam_role_policy_attachment" "db_connect" {
  for_each   = toset(["gha-db-backup", "finance-reporting"])
  role       = each.value
  policy_arn = aws_iam_policy.payroll_db_connect.arn
}

# Runtime permissions of the application task role (the role itself is created in the
# payroll-ledger-service repo).
data "aws_iam_policy_document" "ledger_service_runtime" {
  statement {
    sid       = "ReadDbSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.payroll_ledger_creds.arn, "arn:aws:secretsmanager:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:secret:prod/payroll-ledger-archive/*"]
  }

  statement {
    sid       = "ReadConnectionParams"
    effect    = "Allow"
    actions   = ["ssm:GetParametersByPath", "ssm:GetParameter"]
    resources = ["arn:aws:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter/payroll/prod/*"]
  }

  statement {
    sid       = "PublishLedgerEvents"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [data.aws_sns_topic.ledger_events.arn]
  }
}

resource "aws_iam_role_policy" "ledger_service_runtime" {
  name   = "payroll-infra-runtime"
  role   = "payroll-ledger-service-task"
  policy = data.aws_iam_policy_document.ledger_service_runtime.json
}

# Enhanced Monitoring for every payroll RDS instance.
data "aws_iam_policy_document" "rds_monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "rds_monitoring" {
  name               = "payroll-rds-enhanced-monitoring"
  assume_role_policy = data.aws_iam_policy_document.rds_monitoring_assume.json
}

resource "aws_iam_role_policy_attachment" "rds_monitoring" {
  role       = aws_iam_role.rds_monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}
