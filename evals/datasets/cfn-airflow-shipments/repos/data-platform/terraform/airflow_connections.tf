# Airflow connections stored in Secrets Manager (secrets backend prefix airflow/connections).

resource "aws_secretsmanager_secret" "tracking_conn" {
  name        = "airflow/connections/shipment_tracking_mysql"
  description = "Airflow connection to the Shipment Tracking Aurora MySQL cluster"
}

resource "aws_secretsmanager_secret_version" "shipment_tracking_mysql" {
  secret_id = aws_secretsmanager_secret.tracking_conn.id
  secret_string = jsonencode({
    conn_type = "mysql"
    host      = "shipment-tracking-aurora.cluster-c8x2kq1v7n3p.us-east-1.rds.amazonaws.com"
    schema    = "shipment_tracking"
    login     = "airflow_ro"
    password  = var.shipment_tracking_db_password
    port      = 3306
  })
}

resource "aws_secretsmanager_secret" "orders_conn" {
  name        = "airflow/connections/shipments_mysql"
  description = "Airflow connection to the shipments database"
}

resource "aws_secretsmanager_secret" "history_conn" {
  name = "airflow/connections/shipment_tracking_history_mysql"
}

data "aws_iam_policy_document" "airflow_read_connections" {
  statement {
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_secretsmanager_secret.tracking_conn.arn,
      aws_secretsmanager_secret.orders_conn.arn,
      aws_secretsmanager_secret.history_conn.arn,
    ]
  }
}

resource "aws_iam_role_policy" "airflow_connections" {
  name   = "airflow-read-connections"
  role   = var.airflow_execution_role
  policy = data.aws_iam_policy_document.airflow_read_connections.json
}
