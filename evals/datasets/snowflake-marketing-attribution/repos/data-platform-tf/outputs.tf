output "marketing_attribution_database" {
  value = snowflake_database.marketing_attribution.name
}

output "attribution_warehouse" {
  value = snowflake_warehouse.marketing_attribution.name
}

output "sandbox_database" {
  value = snowflake_database.marketing_attribution_sandbox.name
}
