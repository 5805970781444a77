terraform {
  required_version = ">= 1.6.0"

  backend "gcs" {
    bucket = "acme-tfstate"
    prefix = "staging/fulfilment"
  }

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 5.30"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
