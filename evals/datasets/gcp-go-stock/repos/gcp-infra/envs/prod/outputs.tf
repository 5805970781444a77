output "stock_reservations_instance" {
  description = "Connection name of stock-reservations-prod, for the cloud-sql-proxy sidecar of stock-service."
  value       = google_sql_database_instance.primary.connection_name
}

output "stock_reservations_replica" {
  description = "Connection name of the read replica used by analytics-dbt."
  value       = google_sql_database_instance.stock_reservations_replica.connection_name
}

output "stock_reservations_host" {
  value = google_sql_database_instance.primary.private_ip_address
}

output "stock_reservations_db" {
  value = google_sql_database.main.name
}

output "stock_reservations_dsn_secret" {
  value = google_secret_manager_secret.stock_reservations_dsn.secret_id
}

output "stock_instance" {
  description = "Connection name of the main stock database instance."
  value       = module.stock_db.connection_name
}
