variable "environment" {
  type = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "sku_name" {
  description = "SKU for psql-loyalty-<env> (hosts loyalty and loyalty_points_ledger)."
  type        = string
}
