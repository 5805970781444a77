# psql-loyalty-points-prod
environment           = "prod"
sku_name              = "GP_Standard_D4ds_v4"
storage_mb            = 262144
backup_retention_days = 35

dba_group_object_id               = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"
grafana_identity_principal_id     = "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"
loyalty_api_identity_principal_id = "3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f"
data_factory_principal_id         = "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b"

office_ip_ranges = {
  hq = {
    start_ip = "203.0.113.0"
    end_ip   = "203.0.113.255"
  }
}

tags = {
  cost_center  = "CC-4410"
  owner        = "dba@contoso.com"
  decommission = "2025-Q3"
}
