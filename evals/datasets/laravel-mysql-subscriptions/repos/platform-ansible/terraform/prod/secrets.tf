resource "aws_secretsmanager_secret" "subs_db" {
  name                    = "prod/billing-subscriptions/mysql"
  description             = "Master credentials (rotated by the DBA team)"
  kms_key_id              = data.aws_kms_key.secrets.arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret_version" "billing_subscriptions_db" {
  secret_id = aws_secretsmanager_secret.subs_db.id
  secret_string = jsonencode({
    engine   = "mysql"
    host     = aws_route53_record.billing_subscriptions_db.fqdn
    port     = 3306
    username = "subs_admin"
    password = random_password.subs_master.result
  })
}

# subs-api reads the secret in its migrate:production CI job.
data "aws_iam_policy_document" "subs_api_db_secret" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.subs_db.arn]
  }
}

resource "aws_iam_policy" "subs_api_db_secret" {
  name   = "subs-api-db-secret-read"
  policy = data.aws_iam_policy_document.subs_api_db_secret.json
}
