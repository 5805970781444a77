# billing_subscriptions: MySQL 8 behind subs-api (plans, subscriptions, subscription items).
# Owner: payments-platform. Multi-AZ, 14 days of automated backups.

resource "aws_db_subnet_group" "subs" {
  name       = "billing-subscriptions-db-subnet"
  subnet_ids = data.aws_subnets.data_tier.ids
  tags       = local.tags
}

resource "aws_db_parameter_group" "subs_mysql80" {
  name   = "billing-subscriptions-mysql80"
  family = "mysql8.0"

  parameter {
    name  = "max_connections"
    value = "600"
  }

  parameter {
    name  = "long_query_time"
    value = "1"
  }

  parameter {
    name  = "innodb_lock_wait_timeout"
    value = "20"
  }

  tags = local.tags
}

resource "random_password" "subs_master" {
  length  = 32
  special = false
}

resource "aws_db_instance" "subs_primary" {
  identifier     = "subs-mysql-prod-01"
  engine         = "mysql"
  engine_version = "8.0.35"
  instance_class = var.subs_instance_class

  allocated_storage     = 500
  max_allocated_storage = 2000
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = data.aws_kms_key.rds.arn

  db_name  = "billing_subscriptions"
  username = "subs_admin"
  password = random_password.subs_master.result

  db_subnet_group_name   = aws_db_subnet_group.subs.name
  parameter_group_name   = aws_db_parameter_group.subs_mysql80.name
  vpc_security_group_ids = [data.aws_security_group.mysql_clients.id]

  multi_az                     = true
  backup_retention_period      = 14
  backup_window                = "01:00-02:00"
  maintenance_window           = "sun:02:30-sun:03:30"
  performance_insights_enabled = true
  deletion_protection          = true
  skip_final_snapshot          = false
  final_snapshot_identifier    = "subs-final-snapshot"

  tags = merge(local.tags, { Database = "billing_subscriptions", Team = "payments-platform" })
}

