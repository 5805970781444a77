variable "project_id" {
  type        = string
  description = "GCP project that hosts the fulfilment databases."
}

variable "region" {
  type    = string
  default = "us-central1"
}

variable "network" {
  type        = string
  description = "Self link of the shared VPC used for Cloud SQL private IP."
}

variable "oncall_channel" {
  type        = string
  description = "Cloud Monitoring notification channel of the fulfilment on-call."
}

variable "reservations_db_tier" {
  type        = string
  description = "Machine tier of the Stock Reservations primary and of its read replica."
  default     = "db-custom-4-15360"
}

variable "reservations_db_version" {
  type    = string
  default = "POSTGRES_14"
}

variable "stock_db_tier" {
  type        = string
  description = "Machine tier of the main stock (inventory) database."
}
