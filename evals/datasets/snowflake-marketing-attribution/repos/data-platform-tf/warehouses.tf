resource "snowflake_warehouse" "marketing_attribution" {
  name           = "ATTRIBUTION_WH"
  warehouse_size = "XSMALL"
  auto_suspend   = 60
  auto_resume    = true
  comment        = "Dedicated to the MARKETING_ATTRIBUTION dbt runs"
}

resource "snowflake_warehouse" "transforming" {
  name           = "TRANSFORMING_WH"
  warehouse_size = "MEDIUM"
  auto_suspend   = 120
}
