data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

# Shared VPC, created by the network team's stack.
data "aws_vpc" "main" {
  tags = {
    Name = var.vpc_name
  }
}

data "aws_subnets" "private_data" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }

  tags = {
    Tier = "data"
  }
}

data "aws_route53_zone" "internal" {
  name         = "internal."
  private_zone = true
  vpc_id       = data.aws_vpc.main.id
}

# The main payroll database (payroll-prod) is owned by the payroll-core stack. We only
# need its resource id for the shared rds-db:connect policy in iam.tf.
data "aws_db_instance" "payroll" {
  db_instance_identifier = "payroll-prod"
}

# Task security group of the ECS service that writes to the ledger. The service is
# deployed from the payroll-ledger-service repo and is NOT part of this stack.
data "aws_security_group" "payroll_ledger_service" {
  vpc_id = data.aws_vpc.main.id
  name   = "payroll-ledger-service-tasks"
}

data "aws_sns_topic" "db_alerts" {
  name = var.alarm_topic_name
}

# Domain-event topic owned by the application team; referenced here only for IAM.
data "aws_sns_topic" "ledger_events" {
  name = "ledger_events"
}
