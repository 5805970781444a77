resource "snowflake_database" "marketing_attribution" {
  name                        = "MARKETING_ATTRIBUTION"
  comment                     = "Touchpoint-level attribution outputs"
  data_retention_time_in_days = 7
}

resource "snowflake_schema" "raw" {
  database = snowflake_database.marketing_attribution.name
  name     = "RAW"
}

resource "snowflake_schema" "reporting" {
  database = snowflake_database.marketing_attribution.name
  name     = "REPORTING"
}

resource "snowflake_database" "marketing_attribution_sandbox" {
  name    = "MARKETING_ATTRIBUTION_SANDBOX"
  comment = "Analyst sandbox for attribution experiments"
}

resource "snowflake_database" "retail_core" {
  name = "RETAIL_CORE"
}
