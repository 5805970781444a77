# Connections pinged by HealthController#show (GET /healthz).
# invoicing_archive is optional (read-only, pre-2021 invoices) and is not checked.
DB_HEALTH_CHECKS = {
  "billing" => ApplicationRecord,
  "invoicing" => InvoicingRecord,
}.freeze
