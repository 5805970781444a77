# DSN of stock_reservations for stock-service, synced into GKE by External Secrets.
# The host is the cloud-sql-proxy sidecar, so it is always 127.0.0.1.
resource "google_secret_manager_secret" "stock_reservations_dsn" {
  project   = var.project_id
  secret_id = "stock-reservations-dsn"
  labels    = local.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "stock_reservations_dsn" {
  secret      = google_secret_manager_secret.stock_reservations_dsn.id
  secret_data = "postgres://${google_sql_user.stock_reservations_rw.name}:${random_password.stock_reservations_rw.result}@127.0.0.1:5432/${google_sql_database.main.name}?sslmode=disable"
}

resource "google_secret_manager_secret_iam_member" "stock_reservations_dsn" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.stock_reservations_dsn.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.stock_service.email}"
}

# The stock database's DSN secret is created by modules/cloudsql-postgres.
resource "google_secret_manager_secret_iam_member" "stock_dsn" {
  project   = var.project_id
  secret_id = module.stock_db.dsn_secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.stock_service.email}"
}
