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
  features {}
}

data "azurerm_resource_group" "data" {
  name = "rg-loyalty-data-${var.environment}"
}

data "azurerm_key_vault" "data" {
  name                = "kv-contoso-data-${var.environment}"
  resource_group_name = "rg-security-${var.environment}"
}
