# -----------------------------------------------------------------------------
# Payroll Ledger: the double-entry journal that payroll-api posts for every
# pay run. PostgreSQL 15, Multi-AZ.
# -----------------------------------------------------------------------------
resource "aws_db_instance" "payroll_ledger" {
  identifier     = "payroll-ledger-prod"
  engine         = "postgres"
  engine_version = "15.7"
  instance_class = var.payroll_ledger_instance_class

  allocated_storage     = 100
  max_allocated_storage = 500
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = "payroll_ledger"
  username = "ledger_admin"
  password = random_password.payroll_ledger.result
  port     = 5432

  db_subnet_group_name   = aws_db_subnet_group.payroll_ledger.name
  vpc_security_group_ids = [aws_security_group.payroll_ledger_db.id]
  publicly_accessible    = false
  multi_az               = true

  # The nightly backup job connects with IAM auth (see iam.tf).
  iam_database_authentication_enabled = true

  backup_retention_period   = 14
  backup_window             = "01:00-02:00"
  maintenance_window        = "sun:03:00-sun:04:00"
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "payroll-ledger-prod-final"

  tags = {
    Name     = "payroll-ledger-prod"
    Database = "payroll_ledger"
  }
}

# -----------------------------------------------------------------------------
# Ledger archive: closed pay periods older than seven years, kept for audits.
# A separate, live database owned by Finance Reporting. Master credentials are
# managed by RDS itself, so it has no entry in secrets.tf.
# -----------------------------------------------------------------------------
resource "aws_db_instance" "payroll_ledger_archive" {
  identifier     = "payroll-ledger-archive-prod"
  engine         = "postgres"
  engine_version = "15.7"
  instance_class = var.archive_instance_class

  allocated_storage     = 400
  max_allocated_storage = 1000
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name                     = "payroll_ledger_archive"
  username                    = "archive_admin"
  manage_master_user_password = true
  port                        = 5432

  db_subnet_group_name   = aws_db_subnet_group.payroll_ledger_archive.name
  vpc_security_group_ids = [aws_security_group.payroll_ledger_archive_db.id]
  publicly_accessible    = false
  multi_az               = false

  iam_database_authentication_enabled = true

  backup_retention_period   = 35
  backup_window             = "01:00-02:00"
  maintenance_window        = "sun:03:00-sun:04:00"
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "payroll-ledger-archive-prod-final"

  tags = {
    Name     = "payroll-ledger-archive-prod"
    Database = "payroll_ledger_archive"
  }
}
