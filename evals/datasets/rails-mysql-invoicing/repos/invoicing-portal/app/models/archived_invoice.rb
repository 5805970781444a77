class ArchivedInvoice < InvoicingArchiveRecord
  self.table_name = "invoices"

  def readonly?
    true
  end
end
