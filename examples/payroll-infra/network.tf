# -----------------------------------------------------------------------------
# One subnet group and one security group per database.
# -----------------------------------------------------------------------------

resource "aws_db_subnet_group" "payroll_ledger" {
  name        = "payroll-ledger"
  description = "Private subnets for the Payroll Ledger database"
  subnet_ids  = var.private_subnet_ids
}

resource "aws_security_group" "payroll_ledger_db" {
  name        = "payroll-ledger-db"
  description = "Postgres access to the Payroll Ledger database"
  vpc_id      = var.vpc_id
}

resource "aws_db_subnet_group" "payroll_ledger_archive" {
  name        = "payroll-ledger-archive"
  description = "Private subnets for the ledger archive database"
  subnet_ids  = var.private_subnet_ids
}

resource "aws_security_group" "payroll_ledger_archive_db" {
  name        = "payroll-ledger-archive-db"
  description = "Postgres access to the ledger archive database"
  vpc_id      = var.vpc_id
}

# -----------------------------------------------------------------------------
# Shared rules: the application tier may reach every payroll database on 5432.
# Add a database to this map to open it to the apps; remove it to close it.
# -----------------------------------------------------------------------------

locals {
  payroll_db_security_groups = {
    payroll_ledger         = aws_security_group.payroll_ledger_db.id
    payroll_ledger_archive = aws_security_group.payroll_ledger_archive_db.id
  }
}

resource "aws_security_group_rule" "payroll_db_from_app" {
  for_each = local.payroll_db_security_groups

  type                     = "ingress"
  description              = "Postgres from the payroll app tier"
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  security_group_id        = each.value
  source_security_group_id = var.app_security_group_id
}
