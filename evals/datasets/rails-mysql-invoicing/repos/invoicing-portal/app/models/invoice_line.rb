class InvoiceLine < InvoicingRecord
  belongs_to :invoice

  validates :description, presence: true
  validates :amount_cents, numericality: { only_integer: true }
end
