locals {
  labels = {
    team       = "fulfilment"
    managed_by = "terraform"
    env        = "prod"
  }
}

# Main inventory database (on-hand quantities). Stays.
module "stock_db" {
  source = "../../modules/cloudsql-postgres"

  project_id = var.project_id
  region     = var.region
  network    = var.network
  name       = "stock-prod"
  db_name    = "stock"
  tier       = var.stock_db_tier
  proxy_port = 5433
  labels     = local.labels
}

# Archive of expired holds, read by finance. Stays.
module "reservations_history_db" {
  source = "../../modules/cloudsql-postgres"

  project_id          = var.project_id
  region              = var.region
  network             = var.network
  name                = "stock-reservations-history-prod"
  db_name             = "stock_reservations_history"
  tier                = "db-custom-2-7680"
  availability_type   = "ZONAL"
  proxy_port          = 5434
  labels              = local.labels
  deletion_protection = true
}
