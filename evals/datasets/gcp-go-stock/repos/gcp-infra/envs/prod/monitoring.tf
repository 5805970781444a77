resource "google_monitoring_alert_policy" "stock_reservations_alarm" {
  project      = var.project_id
  display_name = "Stock Reservations DB: CPU above 85%"
  combiner     = "OR"

  conditions {
    display_name = "CPU utilization"
    condition_threshold {
      filter          = "resource.type = \"cloudsql_database\" AND resource.labels.database_id = \"${var.project_id}:${google_sql_database_instance.primary.name}\" AND metric.type = \"cloudsql.googleapis.com/database/cpu/utilization\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0.85
      duration        = "300s"

      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MEAN"
      }
    }
  }

  notification_channels = [var.oncall_channel]
  user_labels           = { database = "stock_reservations" }
}

resource "google_monitoring_alert_policy" "stock_reservations_replica_alarm" {
  project      = var.project_id
  display_name = "sr-prod-replica-01: replication lag above 60s"
  combiner     = "OR"

  conditions {
    display_name = "Replica lag"
    condition_threshold {
      filter          = "resource.type = \"cloudsql_database\" AND resource.labels.database_id = \"${var.project_id}:${google_sql_database_instance.stock_reservations_replica.name}\" AND metric.type = \"cloudsql.googleapis.com/database/replication/replica_lag\""
      comparison      = "COMPARISON_GT"
      threshold_value = 60
      duration        = "600s"

      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  notification_channels = [var.oncall_channel]
}
