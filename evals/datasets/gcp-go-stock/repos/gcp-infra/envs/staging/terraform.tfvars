project_id = "acme-staging"
region     = "us-central1"
network    = "projects/acme-staging/global/networks/fulfilment-vpc"

# module.postgres (stock-reservations-staging) is deliberately small
reservations_db_tier = "db-custom-1-3840"
