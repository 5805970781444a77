variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "network" {
  type        = string
  description = "Self link of the VPC for private IP."
}

variable "name" {
  type        = string
  description = "Cloud SQL instance name."
}

variable "db_name" {
  type        = string
  description = "Name of the single database created on the instance."
}

variable "tier" {
  type = string
}

variable "database_version" {
  type    = string
  default = "POSTGRES_14"
}

variable "availability_type" {
  type    = string
  default = "REGIONAL"
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "proxy_port" {
  type        = number
  description = "Local port of the cloud-sql-proxy sidecar written into the DSN secret."
  default     = 5432
}

variable "labels" {
  type    = map(string)
  default = {}
}
