output "connection_name" {
  value = google_sql_database_instance.primary.connection_name
}

output "private_ip_address" {
  value = google_sql_database_instance.primary.private_ip_address
}

output "dsn_secret_id" {
  value = google_secret_manager_secret.dsn.secret_id
}
