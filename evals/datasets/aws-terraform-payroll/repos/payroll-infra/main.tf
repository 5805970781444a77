# Roles, schemas and extensions inside the ledger database. Runs against the primary
# through the aliased postgresql provider configured in providers.tf.
module "payroll_ledger_db" {
  source = "./modules/pg-bootstrap"

  providers = {
    postgresql = postgresql.payroll_ledger
  }

  database   = aws_db_instance.main.db_name
  owner_role = "ledger_owner"
  iam_users  = local.ledger_iam_users
  password_users = {
    payroll_ledger_rw = random_password.payroll_ledger_rw.result
  }
  schemas    = ["ledger", "audit", "reporting"]
  extensions = ["pgcrypto", "pg_stat_statements", "pg_cron"]

  depends_on = [aws_db_instance.main]
}

# Reporting replica. Metabase and the nightly logical backup read from here so that
# month-end reporting never competes with pay-run writes on the primary.
module "read_replica" {
  source = "./modules/rds-replica"

  name                   = "payroll-ledger-replica"
  source_db_identifier   = aws_db_instance.main.identifier
  instance_class         = var.replica_instance_class
  parameter_group_name   = aws_db_parameter_group.payroll_ledger.name
  vpc_security_group_ids = [aws_security_group.payroll_ledger_db.id]
  kms_key_id             = aws_kms_key.rds.arn
  monitoring_role_arn    = aws_iam_role.rds_monitoring.arn
  alarm_actions          = local.db_alarm_actions
  tags                   = local.common_tags
}
