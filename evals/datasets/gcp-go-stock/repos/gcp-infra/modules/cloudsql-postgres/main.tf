# Generic Cloud SQL for PostgreSQL: one instance, one database, one read-write user and a
# Secret Manager secret with a DSN that points at the cloud-sql-proxy sidecar.

resource "google_sql_database_instance" "primary" {
  name                = var.name
  project             = var.project_id
  region              = var.region
  database_version    = var.database_version
  deletion_protection = var.deletion_protection

  settings {
    tier              = var.tier
    availability_type = var.availability_type
    user_labels       = var.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }
  }
}

resource "google_sql_database" "this" {
  name     = var.db_name
  instance = google_sql_database_instance.primary.name
  project  = var.project_id
}

resource "random_password" "this" {
  length  = 32
  special = false
}

resource "google_sql_user" "rw" {
  name     = "${replace(var.db_name, "_", "")}_rw"
  instance = google_sql_database_instance.primary.name
  project  = var.project_id
  password = random_password.this.result
}

resource "google_secret_manager_secret" "dsn" {
  project   = var.project_id
  secret_id = "${var.name}-dsn"
  labels    = var.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "dsn" {
  secret      = google_secret_manager_secret.dsn.id
  secret_data = "postgres://${google_sql_user.rw.name}:${random_password.this.result}@127.0.0.1:${var.proxy_port}/${google_sql_database.this.name}?sslmode=disable"
}
