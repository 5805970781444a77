# -----------------------------------------------------------------------------
# payroll_ledger_archive
#
# Closed fiscal years are moved here by the year-end job. This is a separate, LIVE
# database with its own consumers (finance reporting, external auditors). It is not a
# replica of the ledger and has its own lifecycle.
# -----------------------------------------------------------------------------
resource "aws_db_instance" "archive" {
  identifier     = "payroll-ledger-archive"
  engine         = "postgres"
  engine_version = "15.5"
  instance_class = var.archive_instance_class

  allocated_storage     = 500
  max_allocated_storage = 2000
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.rds.arn

  db_name                     = "payroll_ledger_archive"
  username                    = "archive_admin"
  manage_master_user_password = true

  # Shares the ledger's subnet group (same data subnets). Give it its own group before
  # that one is ever deleted.
  db_subnet_group_name   = aws_db_subnet_group.payroll_ledger.name
  parameter_group_name   = aws_db_parameter_group.archive.name
  vpc_security_group_ids = [aws_security_group.archive_db.id]
  publicly_accessible    = false
  multi_az               = false

  iam_database_authentication_enabled = true

  backup_retention_period   = 35
  backup_window             = local.backup_window
  maintenance_window        = local.maintenance_window
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  final_snapshot_identifier = "payroll-ledger-archive-final"

  tags = merge(local.common_tags, {
    Name     = "payroll-ledger-archive"
    Database = "payroll_ledger_archive"
  })
}
