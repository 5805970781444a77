variable "name" {
  description = "RDS identifier for the replica, e.g. payroll-ledger-replica."
  type        = string
}

variable "source_db_identifier" {
  description = "Identifier of the instance to replicate from (same region)."
  type        = string
}

variable "instance_class" {
  description = "Instance class of the replica. May be smaller than the source."
  type        = string
}

variable "parameter_group_name" {
  description = "DB parameter group; normally the same group as the source."
  type        = string
}

variable "vpc_security_group_ids" {
  description = "Security groups attached to the replica."
  type        = list(string)
}

variable "kms_key_id" {
  description = "KMS key ARN; must match the source's key for encrypted replicas."
  type        = string
}

variable "monitoring_role_arn" {
  description = "IAM role for Enhanced Monitoring."
  type        = string
}

variable "max_lag_seconds" {
  description = "ReplicaLag threshold for the alarm."
  type        = number
  default     = 300
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when the lag alarm fires."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
