resource "aws_security_group" "payroll_ledger_db" {
  name        = "payroll-ledger-db-sg"
  description = "Postgres 5432 into payroll-ledger-prod and its replica"
  vpc_id      = data.aws_vpc.main.id

  tags = merge(local.common_tags, { Name = "payroll-ledger-db-sg" })
}

resource "aws_security_group_rule" "ledger_db_from_service" {
  description              = "ECS tasks of payroll-ledger-service"
  type                     = "ingress"
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  security_group_id        = aws_security_group.payroll_ledger_db.id
  source_security_group_id = data.aws_security_group.payroll_ledger_service.id
}

resource "aws_security_group_rule" "ledger_db_from_vpn" {
  description       = "DBA access over the corporate VPN"
  type              = "ingress"
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  security_group_id = aws_security_group.payroll_ledger_db.id
  cidr_blocks       = var.vpn_cidrs
}

resource "aws_security_group" "archive_db" {
  name        = "payroll-ledger-archive-sg"
  description = "Postgres 5432 into payroll-ledger-archive"
  vpc_id      = data.aws_vpc.main.id

  ingress {
    description = "Finance reporting and DBA access over the VPN"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.vpn_cidrs
  }

  tags = merge(local.common_tags, { Name = "payroll-ledger-archive-sg" })
}

# Interface endpoints (Lambda, Secrets Manager) used by the aws_lambda extension in the
# payroll databases. One group for all of them: when a database starts using the
# extension, add its security group to the list below.
resource "aws_security_group" "vpce_shared" {
  name        = "payroll-vpce-shared"
  description = "HTTPS from payroll RDS instances to VPC interface endpoints"
  vpc_id      = data.aws_vpc.main.id

  ingress {
    description     = "HTTPS from database security groups"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.payroll_ledger_db.id, aws_security_group.archive_db.id, var.payroll_db_security_group_id]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [data.aws_vpc.main.cidr_block]
  }

  tags = merge(local.common_tags, { Name = "payroll-vpce-shared" })
}
