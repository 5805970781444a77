data "aws_vpc" "main" {
  tags = { Name = "prod-main" }
}

data "aws_subnets" "data_tier" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
  tags = { Tier = "data" }
}

data "aws_kms_key" "rds" {
  key_id = "alias/prod-rds"
}

data "aws_kms_key" "secrets" {
  key_id = "alias/prod-secrets"
}

data "aws_route53_zone" "internal" {
  name         = "internal.acme-saas.net"
  private_zone = true
}

data "aws_security_group" "mysql_clients" {
  name   = "prod-mysql-clients"
  vpc_id = data.aws_vpc.main.id
}

locals {
  tags = { CostCenter = "platform-data" }
}
