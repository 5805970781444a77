# CloudWatch alarms for the Payroll Ledger RDS instance.
# The instance itself is defined in payroll-infra (aws_db_instance.payroll_ledger).

variable "payroll_oncall_topic_arn" {
  description = "SNS topic that pages the payroll-platform on-call."
  type        = string
}

resource "aws_cloudwatch_metric_alarm" "payroll_ledger_cpu" {
  alarm_name          = "payroll-ledger-prod-cpu-high"
  alarm_description   = "Payroll Ledger CPU above 80% for 15 minutes. See runbooks/payroll-ledger.md."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [var.payroll_oncall_topic_arn]

  dimensions = {
    DBInstanceIdentifier = "payroll-ledger-prod"
  }
}

resource "aws_cloudwatch_metric_alarm" "payroll_ledger_free_storage" {
  alarm_name          = "payroll-ledger-prod-free-storage-low"
  alarm_description   = "Payroll Ledger has less than 20 GiB of free storage."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 21474836480 # 20 GiB, in bytes
  comparison_operator = "LessThanThreshold"
  alarm_actions       = [var.payroll_oncall_topic_arn]

  dimensions = {
    DBInstanceIdentifier = "payroll-ledger-prod"
  }
}
