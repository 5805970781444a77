# The app (CSI driver), the migration pipeline and Data Factory read these from the environment's
# Key Vault. Secret names are the same in every vault.

resource "azurerm_key_vault_secret" "loyalty_points" {
  name         = "lp-pg-connstr"
  key_vault_id = data.azurerm_key_vault.data.id
  content_type = "Npgsql connection string"
  tags         = local.tags

  value = join(";", [
    "Server=${azurerm_postgresql_flexible_server.this.fqdn}",
    "Database=${azurerm_postgresql_flexible_server_database.main.name}",
    "Port=5432",
    "User Id=${var.admin_login}",
    "Password=${random_password.admin.result}",
    "Ssl Mode=Require",
  ])
}

resource "azurerm_key_vault_secret" "loyalty_points_password" {
  name         = "loyalty-points-pg-password"
  key_vault_id = data.azurerm_key_vault.data.id
  content_type = "password"
  value        = random_password.admin.result
  tags         = local.tags
}
