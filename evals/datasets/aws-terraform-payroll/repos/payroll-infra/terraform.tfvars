# Values shared by every apply of this stack. Environment-specific sizing (including
# payroll_ledger_db) lives in environments/<env>.tfvars and is passed with -var-file.
aws_region       = "us-east-1"
vpc_name         = "bp-prod-core"
alarm_topic_name = "db-alerts-prod"

# Owned by payroll-core; copy from their outputs when it changes (it has not since 2021).
payroll_db_security_group_id = "sg-0c41d2e8a9f7b3065"

vpn_cidrs = [
  "10.200.0.0/16", # GlobalProtect pool, Dublin
  "10.201.0.0/16", # GlobalProtect pool, Austin
]
