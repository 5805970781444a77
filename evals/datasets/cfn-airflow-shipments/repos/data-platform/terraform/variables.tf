variable "airflow_execution_role" {
  type        = string
  description = "IAM role name used by the MWAA environment"
}

variable "shipment_tracking_db_password" {
  type        = string
  sensitive   = true
  description = "Password of the airflow_ro user on shipment_tracking"
}

variable "shipments_db_password" {
  type      = string
  sensitive = true
}
