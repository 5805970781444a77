variable "environment" {
  description = "Environment short name: prod or staging."
  type        = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "sku_name" {
  description = "Flexible Server SKU for the Loyalty Points database."
  type        = string
}

variable "storage_mb" {
  type    = number
  default = 131072
}

variable "backup_retention_days" {
  type    = number
  default = 35
}

variable "admin_login" {
  type    = string
  default = "lpadmin"
}

variable "office_ip_ranges" {
  description = "Office egress ranges allowed through the server firewall."
  type = map(object({
    start_ip = string
    end_ip   = string
  }))
  default = {}
}

variable "dba_group_object_id" {
  type = string
}

variable "grafana_identity_principal_id" {
  type = string
}

variable "loyalty_api_identity_principal_id" {
  description = "Principal ID of the loyalty-points-api workload identity (reads the connection string secret)."
  type        = string
}

variable "data_factory_principal_id" {
  description = "Managed identity of adf-contoso-data-<env>."
  type        = string
}

variable "tags" {
  type    = map(string)
  default = {}
}
