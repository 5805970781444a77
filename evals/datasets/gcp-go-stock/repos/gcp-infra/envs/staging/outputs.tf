output "stock_reservations_instance" {
  value = module.postgres.instance_connection_name
}

output "stock_reservations_host" {
  value = module.postgres.private_ip_address
}

output "stock_instance" {
  value = module.stock_db.connection_name
}
