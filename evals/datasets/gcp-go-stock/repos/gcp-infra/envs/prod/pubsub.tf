resource "google_pubsub_topic" "stock_events" {
  project                    = var.project_id
  name                       = "stock-events"
  labels                     = local.labels
  message_retention_duration = "86400s"
}

resource "google_pubsub_topic_iam_member" "stock_service_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.stock_events.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.stock_service.email}"
}

resource "google_pubsub_subscription" "reservations_api" {
  project              = var.project_id
  name                 = "reservations-api.stock-events"
  topic                = google_pubsub_topic.stock_events.id
  ack_deadline_seconds = 30
}
