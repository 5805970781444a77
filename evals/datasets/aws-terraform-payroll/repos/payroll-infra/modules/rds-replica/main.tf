# Same-region read replica of an existing RDS PostgreSQL instance, with its own lag alarm.
# The replica inherits engine, storage and subnet group from the source instance.

data "aws_db_instance" "main" {
  db_instance_identifier = var.source_db_identifier
}

resource "aws_db_instance" "this" {
  identifier          = var.name
  replicate_source_db = data.aws_db_instance.main.db_instance_arn
  instance_class      = var.instance_class

  storage_encrypted    = true
  kms_key_id           = var.kms_key_id
  parameter_group_name = var.parameter_group_name

  vpc_security_group_ids = var.vpc_security_group_ids
  publicly_accessible    = false
  multi_az               = false

  iam_database_authentication_enabled = true

  # Replicas do not take automated backups of their own.
  backup_retention_period = 0
  skip_final_snapshot     = true

  performance_insights_enabled = true
  monitoring_interval          = 60
  monitoring_role_arn          = var.monitoring_role_arn

  auto_minor_version_upgrade = false

  tags = merge(var.tags, {
    Name      = var.name
    ReplicaOf = data.aws_db_instance.main.db_instance_identifier
  })
}

resource "aws_cloudwatch_metric_alarm" "lag" {
  alarm_name          = "${var.name}-replica-lag"
  alarm_description   = "${var.name} is more than ${var.max_lag_seconds}s behind ${data.aws_db_instance.main.db_instance_identifier}."
  namespace           = "AWS/RDS"
  metric_name         = "ReplicaLag"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 10
  threshold           = var.max_lag_seconds
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = var.alarm_actions

  dimensions = {
    DBInstanceIdentifier = aws_db_instance.this.identifier
  }
}
