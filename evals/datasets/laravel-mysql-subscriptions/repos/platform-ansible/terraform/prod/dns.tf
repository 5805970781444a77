# Stable CNAMEs for apps, ProxySQL and Fivetran. RDS endpoints change when an instance is
# restored from a snapshot; only these records have to move.
resource "aws_route53_record" "accounts_db" {
  zone_id = data.aws_route53_zone.internal.zone_id
  name    = "accounts-db.internal.acme-saas.net"
  type    = "CNAME"
  ttl     = 60
  records = [aws_db_instance.accounts.address]
}

resource "aws_route53_record" "billing_subscriptions_db" {
  zone_id = data.aws_route53_zone.internal.zone_id
  name    = "subscriptions-db.internal.acme-saas.net"
  type    = "CNAME"
  ttl     = 60
  records = [aws_db_instance.subs_primary.address]
}

resource "aws_route53_record" "subs_archive" {
  zone_id = data.aws_route53_zone.internal.zone_id
  name    = "subs-archive-mysql.internal.acme-saas.net"
  type    = "CNAME"
  ttl     = 300
  records = [aws_db_instance.subs_archive.address]
}
