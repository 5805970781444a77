# Creates the objects Terraform owns inside a PostgreSQL database on RDS:
#   * a NOLOGIN owner role that owns every schema,
#   * LOGIN roles for IAM authentication (granted rds_iam) and for password logins,
#   * schemas and extensions.
# Table DDL is NOT managed here; the application runs its own migrations.

resource "postgresql_role" "owner" {
  name  = var.owner_role
  login = false
}

resource "postgresql_role" "iam" {
  for_each = toset(var.iam_users)
  name     = each.value
  login    = true
  roles    = ["rds_iam"]
}

resource "postgresql_role" "password" {
  for_each = nonsensitive(toset(keys(var.password_users)))
  name     = each.value
  login    = true
  password = var.password_users[each.value]
  roles    = [postgresql_role.owner.name]
}

resource "postgresql_schema" "this" {
  for_each = toset(var.schemas)
  name     = each.value
  database = var.database
  owner    = postgresql_role.owner.name
}

resource "postgresql_extension" "this" {
  for_each = toset(var.extensions)
  name     = each.value
  database = var.database
}

# IAM users are read-only: SELECT on every table in every managed schema.
resource "postgresql_grant" "iam_read" {
  for_each    = { for pair in setproduct(var.iam_users, var.schemas) : "${pair[0]}.${pair[1]}" => pair }
  database    = var.database
  role        = postgresql_role.iam[each.value[0]].name
  schema      = postgresql_schema.this[each.value[1]].name
  object_type = "table"
  privileges  = ["SELECT"]
}

resource "postgresql_default_privileges" "iam_read" {
  for_each    = { for pair in setproduct(var.iam_users, var.schemas) : "${pair[0]}.${pair[1]}" => pair }
  database    = var.database
  role        = postgresql_role.iam[each.value[0]].name
  schema      = postgresql_schema.this[each.value[1]].name
  owner       = postgresql_role.owner.name
  object_type = "table"
  privileges  = ["SELECT"]
}
