resource_group_name  = "rg-tfstate"
storage_account_name = "stcontosotfstate"
container_name       = "tfstate"
key                  = "loyalty-points/staging.tfstate"
use_azuread_auth     = true
