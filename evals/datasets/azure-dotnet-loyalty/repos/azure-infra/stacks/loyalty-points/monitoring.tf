resource "azurerm_monitor_diagnostic_setting" "postgres" {
  name                       = "diag-to-log-platform"
  target_resource_id         = azurerm_postgresql_flexible_server.this.id
  log_analytics_workspace_id = data.azurerm_log_analytics_workspace.platform.id

  enabled_log {
    category = "PostgreSQLLogs"
  }

  enabled_log {
    category = "PostgreSQLFlexSessions"
  }

  metric {
    category = "AllMetrics"
  }
}

resource "azurerm_monitor_metric_alert" "cpu" {
  name                = "alert-psql-loyalty-points-${var.environment}-cpu"
  resource_group_name = data.azurerm_resource_group.data.name
  scopes              = [azurerm_postgresql_flexible_server.this.id]
  description         = "CPU above 80% for 15 minutes on the Loyalty Points database server."
  severity            = 2
  frequency           = "PT5M"
  window_size         = "PT15M"
  tags                = local.tags

  criteria {
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "cpu_percent"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = 80
  }

  action {
    action_group_id = data.azurerm_monitor_action_group.dba_oncall.id
  }
}

resource "azurerm_monitor_metric_alert" "storage" {
  name                = "alert-psql-loyalty-points-${var.environment}-storage"
  resource_group_name = data.azurerm_resource_group.data.name
  scopes              = [azurerm_postgresql_flexible_server.this.id]
  description         = "Storage above 85% on psql-loyalty-points-${var.environment}."
  severity            = 1
  frequency           = "PT15M"
  window_size         = "PT30M"
  tags                = local.tags

  criteria {
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "storage_percent"
    aggregation      = "Maximum"
    operator         = "GreaterThan"
    threshold        = 85
  }

  action {
    action_group_id = data.azurerm_monitor_action_group.dba_oncall.id
  }
}

# One multi-resource alert covers both loyalty servers (same region, same resource type).
resource "azurerm_monitor_metric_alert" "connections_failed" {
  name                     = "alert-loyalty-pg-connections-failed"
  resource_group_name      = data.azurerm_resource_group.data.name
  scopes                   = [azurerm_postgresql_flexible_server.this.id, data.azurerm_postgresql_flexible_server.loyalty_core.id]
  target_resource_type     = "Microsoft.DBforPostgreSQL/flexibleServers"
  target_resource_location = var.location
  description              = "Failed connections on psql-loyalty-${var.environment} or psql-loyalty-points-${var.environment}."
  severity                 = 2
  frequency                = "PT5M"
  window_size              = "PT15M"
  tags                     = local.tags

  criteria {
    metric_namespace = "Microsoft.DBforPostgreSQL/flexibleServers"
    metric_name      = "connections_failed"
    aggregation      = "Total"
    operator         = "GreaterThan"
    threshold        = 20
  }

  action {
    action_group_id = data.azurerm_monitor_action_group.dba_oncall.id
  }
}
