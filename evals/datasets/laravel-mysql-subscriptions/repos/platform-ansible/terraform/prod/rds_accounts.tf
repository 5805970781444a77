resource "aws_db_instance" "accounts" {
  identifier     = "accounts-mysql-prod-01"
  engine         = "mysql"
  engine_version = "8.0.35"
  instance_class = "db.r6g.2xlarge"

  allocated_storage     = 1000
  max_allocated_storage = 4000
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = data.aws_kms_key.rds.arn

  db_name                     = "accounts"
  username                    = "accounts_admin"
  manage_master_user_password = true

  multi_az                  = true
  backup_retention_period   = 30
  deletion_protection       = true
  final_snapshot_identifier = "accounts-mysql-prod-01-final"

  tags = merge(local.tags, { Database = "accounts", Team = "identity" })
}
