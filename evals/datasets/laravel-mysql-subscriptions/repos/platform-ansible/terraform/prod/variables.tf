variable "app_subnet_cidrs" {
  description = "CIDRs of the app and proxysql subnets that may reach MySQL"
  type        = list(string)
  default     = ["10.40.16.0/20", "10.40.32.0/20"]
}

variable "subs_instance_class" {
  description = "Instance class of the subs-api writer instance"
  type        = string
  default     = "db.r6g.xlarge"
}
