# google_sql_database_instance.primary was created by hand in 2021 and imported before
# modules/cloudsql-postgres existed, which is why it is not a module call. It holds the
# stock_reservations database used by stock-service.

resource "google_sql_database_instance" "primary" {
  name                = "stock-reservations-prod"
  project             = var.project_id
  region              = var.region
  database_version    = var.reservations_db_version
  deletion_protection = true

  settings {
    tier              = var.reservations_db_tier
    availability_type = "REGIONAL"
    disk_type         = "PD_SSD"
    disk_autoresize   = true

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
      location                       = "us"
    }

    database_flags {
      name  = "max_connections"
      value = "400"
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }

    insights_config {
      query_insights_enabled = true
    }

    user_labels = merge(local.labels, {
      database = "stock_reservations"
    })
  }
}

resource "google_sql_database_instance" "stock_reservations_replica" {
  name                 = "sr-prod-replica-01"
  project              = var.project_id
  region               = var.region
  database_version     = var.reservations_db_version
  master_instance_name = google_sql_database_instance.primary.name
  deletion_protection  = false

  replica_configuration {
    failover_target = false
  }

  settings {
    tier              = var.reservations_db_tier
    availability_type = "ZONAL"

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network
    }

    user_labels = merge(local.labels, {
      database = "stock_reservations"
      role     = "replica"
    })
  }
}

resource "google_sql_database" "main" {
  name     = "stock_reservations"
  instance = google_sql_database_instance.primary.name
  project  = var.project_id
}

resource "random_password" "stock_reservations_rw" {
  length  = 32
  special = false
}

resource "google_sql_user" "stock_reservations_rw" {
  name     = "stockreservations_rw"
  instance = google_sql_database_instance.primary.name
  project  = var.project_id
  password = random_password.stock_reservations_rw.result
}

# IAM database user for analytics-dbt; the service account lives in iam.tf.
resource "google_sql_user" "stock_reservations_ro" {
  name     = trimsuffix(google_service_account.stock_reservations_ro.email, ".gserviceaccount.com")
  instance = google_sql_database_instance.primary.name
  project  = var.project_id
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}
