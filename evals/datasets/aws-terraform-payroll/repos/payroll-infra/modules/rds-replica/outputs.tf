output "identifier" {
  value = aws_db_instance.this.identifier
}

output "address" {
  value = aws_db_instance.this.address
}

output "endpoint" {
  value = aws_db_instance.this.endpoint
}

output "resource_id" {
  description = "dbi-resource-id, for rds-db:connect ARNs."
  value       = aws_db_instance.this.resource_id
}

output "arn" {
  value = aws_db_instance.this.arn
}

output "source_arn" {
  description = "ARN of the instance this replica follows."
  value       = data.aws_db_instance.main.db_instance_arn
}
