terraform {
  required_version = ">= 1.6.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    postgresql = {
      source  = "cyrilgdn/postgresql"
      version = "~> 1.22"
    }
  }

  backend "s3" {
    bucket         = "bp-terraform-state-prod"
    key            = "payroll-infra/prod/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "bp-terraform-locks"
    encrypt        = true
  }
}
