environment = "prod"
sku_name    = "GP_Standard_D8ds_v5"
