# Staging mirrors prod, except that the Stock Reservations instance comes from the public
# Cloud SQL module instead of hand-written resources.

module "postgres" {
  source  = "GoogleCloudPlatform/sql-db/google//modules/postgresql"
  version = "~> 20.1"

  project_id           = var.project_id
  region               = var.region
  zone                 = "${var.region}-a"
  name                 = "stock-reservations-staging"
  random_instance_name = false
  database_version     = "POSTGRES_14"
  tier                 = var.reservations_db_tier
  availability_type    = "ZONAL"
  deletion_protection  = false

  ip_configuration = {
    ipv4_enabled    = false
    private_network = var.network
  }

  db_name   = "stock_reservations"
  user_name = "stockreservations_rw"

  user_labels = {
    team     = "fulfilment"
    database = "stock_reservations"
    env      = "staging"
  }
}

module "stock_db" {
  source = "../../modules/cloudsql-postgres"

  project_id = var.project_id
  region     = var.region
  network    = var.network
  name       = "stock-staging"
  db_name    = "stock"
  tier       = "db-custom-2-7680"
  proxy_port = 5433
  labels     = { team = "fulfilment", env = "staging" }
}

resource "google_secret_manager_secret" "stock_reservations_dsn" {
  project   = var.project_id
  secret_id = "stock-reservations-dsn"

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "stock_reservations_dsn" {
  secret      = google_secret_manager_secret.stock_reservations_dsn.id
  secret_data = "postgres://stockreservations_rw:${module.postgres.generated_user_password}@127.0.0.1:5432/stock_reservations?sslmode=disable"
}

resource "google_project_iam_binding" "cloudsql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  members = ["serviceAccount:stock-service@${var.project_id}.iam.gserviceaccount.com", "serviceAccount:reservations-api@${var.project_id}.iam.gserviceaccount.com"]
}
