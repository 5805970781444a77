# Runtime identity of stock-service (GKE Workload Identity, namespace fulfilment).
resource "google_service_account" "stock_service" {
  project      = var.project_id
  account_id   = "stock-service"
  display_name = "stock-service (GKE)"
}

resource "google_service_account_iam_member" "stock_service_workload_identity" {
  service_account_id = google_service_account.stock_service.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[fulfilment/stock-service]"
}

# Read-only identity of analytics-dbt on the Stock Reservations read replica (IAM database auth).
resource "google_service_account" "stock_reservations_ro" {
  project      = var.project_id
  account_id   = "stock-reservations-ro"
  display_name = "stock_reservations read-only (dbt)"
}

resource "google_service_account" "stock_ro" {
  project      = var.project_id
  account_id   = "stock-ro"
  display_name = "stock read-only (dbt)"
}

# One binding for every Cloud SQL client in the project, all databases together.
resource "google_project_iam_binding" "cloudsql_client" {
  project = var.project_id
  role    = "roles/cloudsql.client"
  members = [
    "serviceAccount:${google_service_account.stock_service.email}", # stock + stock_reservations
    "serviceAccount:${google_service_account.stock_reservations_ro.email}",
    "serviceAccount:${google_service_account.stock_ro.email}",
    "serviceAccount:reservations-api@${var.project_id}.iam.gserviceaccount.com",
    "serviceAccount:reservations-history-ro@${var.project_id}.iam.gserviceaccount.com", # stock_reservations_history
  ]
}

resource "google_project_iam_member" "dbt_instance_user" {
  project = var.project_id
  role    = "roles/cloudsql.instanceUser"
  member  = "serviceAccount:${google_service_account.stock_reservations_ro.email}"
}

resource "google_project_iam_member" "dbt_stock_instance_user" {
  project = var.project_id
  role    = "roles/cloudsql.instanceUser"
  member  = "serviceAccount:${google_service_account.stock_ro.email}"
}
