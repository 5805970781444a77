# Registered with: consul services register consul/services/audit-events-db.hcl
# External RDS endpoint; health is checked by consul-esm on the platform nodes.
service {
  name    = "audit-events-db"
  id      = "audit-events-db-primary"
  address = "aevt-prod-01.c9xk2lq0abcd.eu-west-1.rds.amazonaws.com"
  port    = 5432
  tags    = ["postgres", "rds", "primary"]

  meta {
    database    = "audit_events"
    owner       = "platform-data"
    external    = "true"
  }

  check {
    name     = "Postgres TCP"
    tcp      = "aevt-prod-01.c9xk2lq0abcd.eu-west-1.rds.amazonaws.com:5432"
    interval = "30s"
    timeout  = "5s"
  }
}
