variable "aws_region" {
  description = "Region every payroll database runs in."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_id" {
  description = "VPC shared by the payroll services."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private data-tier subnets, one per availability zone."
  type        = list(string)
}

variable "app_security_group_id" {
  description = "Security group of the payroll application tier (EKS worker nodes)."
  type        = string
}

variable "payroll_ledger_instance_class" {
  description = "Instance class of the Payroll Ledger database."
  type        = string
  default     = "db.r6g.large"
}

variable "archive_instance_class" {
  description = "Instance class of the ledger archive. It is read-mostly, so it stays small."
  type        = string
  default     = "db.t4g.medium"
}

variable "backup_role_name" {
  description = "IAM role assumed by the nightly backup workflow in platform-ops."
  type        = string
  default     = "db-backup"
}
