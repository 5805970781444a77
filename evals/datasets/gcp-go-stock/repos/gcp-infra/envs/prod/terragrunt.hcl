# Production is applied with Terragrunt so that the GCS backend and the provider block are
# generated. Staging is still plain Terraform (see envs/staging/backend.tf).

remote_state {
  backend = "gcs"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    project  = "acme-prod"
    location = "us"
    bucket   = "acme-tfstate"
    prefix   = "prod/fulfilment"
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<EOT
provider "google" {
  project = "acme-prod"
  region  = "us-central1"
}
EOT
}

inputs = {
  project_id     = "acme-prod"
  region         = "us-central1"
  network        = "projects/acme-prod/global/networks/fulfilment-vpc"
  oncall_channel = "projects/acme-prod/notificationChannels/4410398221176543210"

  # stock-reservations-prod and its replica; keep in step with envs/staging/terraform.tfvars
  reservations_db_tier    = "db-custom-4-15360"
  reservations_db_version = "POSTGRES_14"

  # main stock (inventory) database, through modules/cloudsql-postgres
  stock_db_tier = "db-custom-8-30720"
}
