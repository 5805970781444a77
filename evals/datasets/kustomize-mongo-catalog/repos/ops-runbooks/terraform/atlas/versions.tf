terraform {
  required_version = ">= 1.5"
  required_providers {
    mongodbatlas = {
      source  = "mongodb/mongodbatlas"
      version = "~> 1.15"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "atlas/catalog.tfstate"
    region = "eu-west-1"
  }
}

provider "mongodbatlas" {}

variable "atlas_org_id" {
  type = string
}
