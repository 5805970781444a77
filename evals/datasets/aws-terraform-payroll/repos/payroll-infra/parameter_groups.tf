resource "aws_db_parameter_group" "payroll_ledger" {
  name        = "payroll-ledger-pg-params"
  family      = "postgres15"
  description = "payroll_ledger: force SSL, log slow statements, pg_cron"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  parameter {
    name  = "idle_in_transaction_session_timeout"
    value = "300000"
  }

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements,pg_cron"
    apply_method = "pending-reboot"
  }

  # pg_cron runs the nightly partition maintenance inside the ledger database.
  parameter {
    name         = "cron.database_name"
    value        = "payroll_ledger"
    apply_method = "pending-reboot"
  }

  tags = local.common_tags
}

resource "aws_db_parameter_group" "archive" {
  name        = "payroll-ledger-archive-pg15"
  family      = "postgres15"
  description = "payroll_ledger_archive: read-mostly, long statement timeout for audit queries"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "statement_timeout"
    value = "600000"
  }

  tags = local.common_tags
}
