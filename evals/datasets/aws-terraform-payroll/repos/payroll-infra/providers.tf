provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Repository  = "github.com/brightpath/payroll-infra"
      ManagedBy   = "terraform"
      Environment = var.environment
    }
  }
}

# Only module.payroll_ledger_db uses this provider: it logs in to the ledger primary to
# create roles, schemas and extensions once the instance exists. Terraform runs on the
# self-hosted runners inside the prod VPC, so the private endpoint is reachable from there.
provider "postgresql" {
  alias           = "payroll_ledger"
  host            = aws_db_instance.main.address
  port            = aws_db_instance.main.port
  database        = "payroll_ledger"
  username        = aws_db_instance.main.username
  password        = jsondecode(data.aws_secretsmanager_secret_version.payroll_ledger_rds.secret_string)["password"]
  sslmode         = "require"
  connect_timeout = 15
  superuser       = false
}
