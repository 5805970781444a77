# Abstract base class for models stored in the invoicing database
# (RDS instance invoicing-mysql-prod, read replica invoicing-mysql-prod-ro).
# Writes go to the `invoicing` config, reads may go to `invoicing_replica`.
class InvoicingRecord < ApplicationRecord
  self.abstract_class = true

  connects_to database: { writing: :invoicing, reading: :invoicing_replica }
end
