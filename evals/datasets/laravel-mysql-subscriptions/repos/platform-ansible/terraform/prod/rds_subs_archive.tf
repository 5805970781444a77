# billing_subscriptions_archive: read-only copy of the pre-2022 rows, owned by data-eng.
# It reuses the subnet and parameter groups of the live subscriptions instance.
resource "aws_db_instance" "subs_archive" {
  identifier     = "subs-archive-mysql-prod"
  engine         = "mysql"
  engine_version = "8.0.35"
  instance_class = "db.t4g.large"

  allocated_storage = 200
  storage_encrypted = true
  kms_key_id        = data.aws_kms_key.rds.arn

  db_name                     = "billing_subscriptions_archive"
  username                    = "archive_admin"
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.subs.name
  parameter_group_name   = aws_db_parameter_group.subs_mysql80.name
  vpc_security_group_ids = [data.aws_security_group.mysql_clients.id]

  backup_retention_period   = 7
  deletion_protection       = true
  skip_final_snapshot       = true

  tags = merge(local.tags, { Team = "data-eng" })
}

