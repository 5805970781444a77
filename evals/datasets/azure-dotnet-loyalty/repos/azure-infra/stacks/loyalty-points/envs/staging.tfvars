# psql-loyalty-points-staging
environment           = "staging"
sku_name              = "B_Standard_B2s"
storage_mb            = 32768
backup_retention_days = 7

dba_group_object_id               = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"
grafana_identity_principal_id     = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
loyalty_api_identity_principal_id = "7e6d5c4b-3a2f-4e1d-0c9b-8a7f6e5d4c3b"
data_factory_principal_id         = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a"

tags = {
  cost_center = "CC-4410"
  owner       = "dba@contoso.com"
}
