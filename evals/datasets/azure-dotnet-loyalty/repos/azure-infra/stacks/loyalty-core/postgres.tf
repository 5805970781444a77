# psql-loyalty-<env>: the main loyalty database plus loyalty_points_ledger (points balances since 2024-03).

resource "random_password" "admin" {
  length  = 32
  special = false
}

resource "azurerm_postgresql_flexible_server" "this" {
  name                          = "psql-loyalty-${var.environment}"
  resource_group_name           = data.azurerm_resource_group.data.name
  location                      = var.location
  version                       = "16"
  sku_name                      = var.sku_name
  storage_mb                    = 524288
  backup_retention_days         = 35
  geo_redundant_backup_enabled  = true
  public_network_access_enabled = false
  administrator_login           = "loyaltyadmin"
  administrator_password        = random_password.admin.result
  zone                          = "1"

  high_availability {
    mode                      = "ZoneRedundant"
    standby_availability_zone = "2"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "azurerm_postgresql_flexible_server_database" "loyalty" {
  name      = "loyalty"
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_postgresql_flexible_server_database" "loyalty_points_ledger" {
  name      = "loyalty_points_ledger"
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_key_vault_secret" "loyalty" {
  name         = "loyalty-pg-connstr"
  key_vault_id = data.azurerm_key_vault.data.id
  value        = "Server=${azurerm_postgresql_flexible_server.this.fqdn};Database=loyalty;Port=5432;User Id=loyalty_app;Ssl Mode=Require"
}

resource "azurerm_key_vault_secret" "loyalty_points_ledger" {
  name         = "lpl-pg-connstr"
  key_vault_id = data.azurerm_key_vault.data.id
  value        = "Server=${azurerm_postgresql_flexible_server.this.fqdn};Database=loyalty_points_ledger;Port=5432;User Id=ledger_app;Ssl Mode=Require"
}
