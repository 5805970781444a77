output "server_name" {
  value = azurerm_postgresql_flexible_server.this.name
}

output "server_fqdn" {
  description = "FQDN of the Loyalty Points server (resolves to the private endpoint inside the VNet)."
  value       = azurerm_postgresql_flexible_server.this.fqdn
}

output "database_name" {
  value = azurerm_postgresql_flexible_server_database.main.name
}

output "connection_string_secret_id" {
  value     = azurerm_key_vault_secret.loyalty_points.versionless_id
  sensitive = true
}
