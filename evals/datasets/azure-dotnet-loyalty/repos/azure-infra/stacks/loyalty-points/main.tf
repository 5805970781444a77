terraform {
  required_version = ">= 1.6.0"

  backend "azurerm" {}

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.110"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "azurerm" {
  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
  }
}

locals {
  tags = merge(var.tags, {
    environment = var.environment
    stack       = "loyalty-points"
    consumer    = "loyalty-points-api"
    data_class  = "confidential"
  })
}

data "azurerm_client_config" "current" {}

data "azurerm_resource_group" "data" {
  name = "rg-loyalty-data-${var.environment}"
}

data "azurerm_subnet" "private_endpoints" {
  name                 = "snet-private-endpoints"
  virtual_network_name = "vnet-data-${var.environment}-weu"
  resource_group_name  = "rg-network-${var.environment}"
}

data "azurerm_private_dns_zone" "postgres" {
  name                = "privatelink.postgres.database.azure.com"
  resource_group_name = "rg-network-${var.environment}"
}

data "azurerm_key_vault" "data" {
  name                = "kv-contoso-data-${var.environment}"
  resource_group_name = "rg-security-${var.environment}"
}

data "azurerm_log_analytics_workspace" "platform" {
  name                = "log-platform-${var.environment}"
  resource_group_name = "rg-monitoring-${var.environment}"
}

data "azurerm_monitor_action_group" "dba_oncall" {
  name                = "ag-dba-oncall"
  resource_group_name = "rg-monitoring-${var.environment}"
}
