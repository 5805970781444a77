variable "project_id" {
  type = string
}

variable "region" {
  type    = string
  default = "us-central1"
}

variable "network" {
  type = string
}

variable "reservations_db_tier" {
  type        = string
  description = "Machine tier of the stock-reservations-staging instance."
}
