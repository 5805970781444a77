resource "aws_db_subnet_group" "payroll_ledger" {
  name        = "payroll-ledger-db-subnet"
  description = "Private data-tier subnets for the Payroll Ledger database"
  subnet_ids  = data.aws_subnets.private_data.ids

  tags = local.common_tags
}

# Stable names for applications and humans. RDS endpoints change when an instance is
# restored from a snapshot; these CNAMEs are the only thing that has to move.
resource "aws_route53_record" "payroll_ledger_db" {
  zone_id = data.aws_route53_zone.internal.zone_id
  name    = "payroll-ledger-db.internal"
  type    = "CNAME"
  ttl     = 60
  records = [aws_db_instance.main.address]
}

resource "aws_route53_record" "payroll_ledger_ro" {
  zone_id = data.aws_route53_zone.internal.zone_id
  name    = "payroll-ledger-ro.internal"
  type    = "CNAME"
  ttl     = 60
  records = [module.read_replica.address]
}

resource "aws_route53_record" "archive_db" {
  zone_id = data.aws_route53_zone.internal.zone_id
  name    = "payroll-ledger-archive.internal"
  type    = "CNAME"
  ttl     = 300
  records = [aws_db_instance.archive.address]
}
