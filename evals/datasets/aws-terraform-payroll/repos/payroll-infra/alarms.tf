locals {
  db_alarm_actions = [data.aws_sns_topic.db_alerts.arn]
}

# RDS creates this group on the first log export; managing it here sets retention.
resource "aws_cloudwatch_log_group" "ledger_postgresql_logs" {
  name              = "/aws/rds/instance/payroll-ledger-prod/postgresql"
  retention_in_days = 90
  kms_key_id        = aws_kms_key.rds.arn
}

resource "aws_cloudwatch_metric_alarm" "ledger_cpu" {
  alarm_name          = "${aws_db_instance.main.identifier}-cpu-high"
  alarm_description   = "Payroll Ledger primary CPU above 80% for 15 minutes. Runbook: platform-ops/runbooks/payroll-ledger.md"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = local.db_alarm_actions
  ok_actions          = local.db_alarm_actions

  dimensions = {
    DBInstanceIdentifier = aws_db_instance.main.identifier
  }
}

resource "aws_cloudwatch_metric_alarm" "ledger_free_storage" {
  alarm_name          = "${aws_db_instance.main.identifier}-free-storage"
  alarm_description   = "Less than 50 GiB free on payroll-ledger-prod. Autoscaling stops at max_allocated_storage."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 53687091200
  comparison_operator = "LessThanThreshold"
  alarm_actions       = local.db_alarm_actions

  dimensions = {
    DBInstanceIdentifier = "payroll-ledger-prod"
  }
}

resource "aws_cloudwatch_metric_alarm" "ledger_connections" {
  alarm_name          = "${aws_db_instance.main.identifier}-connections"
  alarm_description   = "payroll_ledger has more than 400 connections; the service pool is 20 x 12 tasks."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 400
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = local.db_alarm_actions

  dimensions = {
    DBInstanceIdentifier = aws_db_instance.main.identifier
  }
}

resource "aws_cloudwatch_metric_alarm" "ledger_replica_cpu" {
  alarm_name          = "${module.read_replica.identifier}-cpu-high"
  alarm_description   = "Reporting replica of the Payroll Ledger above 90% CPU (usually a Metabase query)."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 90
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = local.db_alarm_actions

  dimensions = {
    DBInstanceIdentifier = module.read_replica.identifier
  }
}

resource "aws_cloudwatch_metric_alarm" "archive_free_storage" {
  alarm_name          = "${aws_db_instance.archive.identifier}-free-storage"
  alarm_description   = "Less than 100 GiB free on payroll-ledger-archive."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  statistic           = "Minimum"
  period              = 900
  evaluation_periods  = 1
  threshold           = 107374182400
  comparison_operator = "LessThanThreshold"
  alarm_actions       = local.db_alarm_actions

  dimensions = {
    DBInstanceIdentifier = aws_db_instance.archive.identifier
  }
}
