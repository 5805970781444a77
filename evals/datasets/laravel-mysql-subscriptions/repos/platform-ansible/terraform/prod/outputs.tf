output "accounts_endpoint" {
  value = aws_route53_record.accounts_db.fqdn
}

output "billing_subscriptions_endpoint" {
  value       = aws_route53_record.billing_subscriptions_db.fqdn
}
