resource "snowflake_account_role" "marketing_attribution_rw" {
  name    = "MARKETING_ATTRIBUTION_RW"
  comment = "dbt and Airflow writer"
}

resource "snowflake_account_role" "analyst" {
  name = "ANALYST"
}

resource "snowflake_grant_privileges_to_account_role" "attribution_db_usage" {
  account_role_name = snowflake_account_role.marketing_attribution_rw.name
  privileges        = ["USAGE", "CREATE SCHEMA"]
  on_account_object {
    object_type = "DATABASE"
    object_name = snowflake_database.marketing_attribution.name
  }
}

resource "snowflake_grant_privileges_to_account_role" "attribution_wh_usage" {
  account_role_name = snowflake_account_role.marketing_attribution_rw.name
  privileges        = ["USAGE", "OPERATE"]
  on_account_object {
    object_type = "WAREHOUSE"
    object_name = snowflake_warehouse.marketing_attribution.name
  }
}

# Analysts read every curated database.
locals {
  analyst_databases = [
    "RETAIL_CORE",
    "MARKETING_ATTRIBUTION",
    "MARKETING_ATTRIBUTION_SANDBOX",
  ]
}

resource "snowflake_grant_privileges_to_account_role" "analyst_db_usage" {
  for_each          = toset(local.analyst_databases)
  account_role_name = snowflake_account_role.analyst.name
  privileges        = ["USAGE"]
  on_account_object {
    object_type = "DATABASE"
    object_name = each.value
  }
}

resource "snowflake_grant_account_role" "rw_to_airflow" {
  role_name = snowflake_account_role.marketing_attribution_rw.name
  user_name = "AIRFLOW_SVC"
}
