# Entra ID administrator: the DBA group.
resource "azurerm_postgresql_flexible_server_active_directory_administrator" "dba" {
  server_name         = azurerm_postgresql_flexible_server.this.name
  resource_group_name = data.azurerm_resource_group.data.name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  object_id           = var.dba_group_object_id
  principal_name      = "sg-dba"
  principal_type      = "Group"
}

# Reader-type grants are shared with the other loyalty server so the DBA group and the
# Grafana identity see both servers through one set of role assignments.
data "azurerm_postgresql_flexible_server" "loyalty_core" {
  name                = "psql-loyalty-${var.environment}"
  resource_group_name = data.azurerm_resource_group.data.name
}

locals {
  observed_servers = {
    loyalty_points = azurerm_postgresql_flexible_server.this.id
    loyalty_core   = data.azurerm_postgresql_flexible_server.loyalty_core.id
  }
}

resource "azurerm_role_assignment" "dba_reader" {
  for_each = local.observed_servers

  scope                = each.value
  role_definition_name = "Reader"
  principal_id         = var.dba_group_object_id
}

resource "azurerm_role_assignment" "grafana_monitoring_reader" {
  for_each = local.observed_servers

  scope                = each.value
  role_definition_name = "Monitoring Reader"
  principal_id         = var.grafana_identity_principal_id
}

# The loyalty-points-api workload identity may read the connection string secret, nothing else.
resource "azurerm_role_assignment" "api_reads_connection_secret" {
  scope                = azurerm_key_vault_secret.loyalty_points.resource_versionless_id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = var.loyalty_api_identity_principal_id
}

resource "azurerm_role_assignment" "adf_reads_password" {
  scope                = azurerm_key_vault_secret.loyalty_points_password.resource_versionless_id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = var.data_factory_principal_id
}
