variable "environment" {
  description = "Deployment environment. This stack is only applied for prod."
  type        = string
  default     = "prod"

  validation {
    condition     = contains(["prod"], var.environment)
    error_message = "payroll-infra only manages prod; staging lives in payroll-infra-nonprod."
  }
}

variable "aws_region" {
  description = "Region for every resource in this stack."
  type        = string
  default     = "us-east-1"
}

variable "vpc_name" {
  description = "Name tag of the shared VPC the databases live in."
  type        = string
}

variable "payroll_ledger_db" {
  description = "Sizing and durability settings for the Payroll Ledger primary (payroll-ledger-prod)."
  type = object({
    instance_class          = string
    allocated_storage       = number
    max_allocated_storage   = number
    multi_az                = bool
    backup_retention_period = number
  })
}

variable "replica_instance_class" {
  description = "Instance class for the reporting read replica."
  type        = string
  default     = "db.r6g.large"
}

variable "archive_instance_class" {
  description = "Instance class for payroll_ledger_archive (closed fiscal years, rarely queried)."
  type        = string
  default     = "db.t4g.large"
}

variable "payroll_db_security_group_id" {
  description = "Security group of the main payroll database (payroll-prod), owned by payroll-core."
  type        = string
}

variable "vpn_cidrs" {
  description = "Corporate VPN ranges allowed to reach the databases on 5432 (DBA access)."
  type        = list(string)
  default     = []
}

variable "alarm_topic_name" {
  description = "SNS topic that fans CloudWatch alarms out to PagerDuty and Slack."
  type        = string
  default     = "db-alerts-prod"
}
