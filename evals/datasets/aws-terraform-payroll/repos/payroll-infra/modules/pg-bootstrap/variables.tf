variable "database" {
  description = "Name of the database (must already exist, e.g. created by RDS from db_name)."
  type        = string
}

variable "owner_role" {
  description = "NOLOGIN role that owns the schemas. Password users are members of it."
  type        = string
}

variable "iam_users" {
  description = "LOGIN roles that authenticate with IAM tokens. Granted rds_iam and read-only access."
  type        = list(string)
  default     = []
}

variable "password_users" {
  description = "LOGIN roles with a password, as name => password."
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "schemas" {
  description = "Schemas to create, owned by owner_role."
  type        = list(string)
  default     = []
}

variable "extensions" {
  description = "Extensions to create. Libraries such as pg_cron must be preloaded by the parameter group."
  type        = list(string)
  default     = []
}
