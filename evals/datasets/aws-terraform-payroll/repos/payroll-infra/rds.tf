# -----------------------------------------------------------------------------
# Payroll Ledger primary (PostgreSQL 15, Multi-AZ)
#
# The block label is "main" because this repo started life as the ledger-only stack
# (PAY-1182). Renaming it needs a `terraform state mv`, so it has stayed "main":
# in this directory, aws_db_instance.main always means the ledger primary.
# -----------------------------------------------------------------------------
resource "aws_db_instance" "main" {
  identifier     = "payroll-ledger-prod"
  engine         = "postgres"
  engine_version = "15.5"
  instance_class = var.payroll_ledger_db.instance_class

  allocated_storage     = var.payroll_ledger_db.allocated_storage
  max_allocated_storage = var.payroll_ledger_db.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.rds.arn

  db_name                     = "payroll_ledger"
  username                    = "ledger_admin"
  manage_master_user_password = true
  port                        = 5432

  db_subnet_group_name   = aws_db_subnet_group.payroll_ledger.name
  parameter_group_name   = aws_db_parameter_group.payroll_ledger.name
  vpc_security_group_ids = [aws_security_group.payroll_ledger_db.id]
  publicly_accessible    = false
  multi_az               = var.payroll_ledger_db.multi_az

  iam_database_authentication_enabled = true

  backup_retention_period   = var.payroll_ledger_db.backup_retention_period
  backup_window             = local.backup_window
  maintenance_window        = local.maintenance_window
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "payroll-ledger-prod-snapshot"

  performance_insights_enabled          = true
  performance_insights_retention_period = 7
  monitoring_interval                   = 60
  monitoring_role_arn                   = aws_iam_role.rds_monitoring.arn
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]

  auto_minor_version_upgrade = false
  apply_immediately          = false

  tags = merge(local.common_tags, {
    Name     = "payroll-ledger-prod"
    Database = "payroll_ledger"
    Service  = "payroll-ledger-service"
  })

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [engine_version]
  }
}

# Master credentials are managed by RDS (manage_master_user_password). Read them back so
# the postgresql provider in providers.tf can bootstrap roles.
data "aws_secretsmanager_secret_version" "payroll_ledger_rds" {
  secret_id = aws_db_instance.main.master_user_secret[0].secret_arn
}
