# Read-only connection to invoicing_archive (invoices closed before 2021).
# It lives on its own RDS instance and stays up after the main invoicing DB is retired.
class InvoicingArchiveRecord < ApplicationRecord
  self.abstract_class = true

  connects_to database: { writing: :invoicing_archive, reading: :invoicing_archive }
end
