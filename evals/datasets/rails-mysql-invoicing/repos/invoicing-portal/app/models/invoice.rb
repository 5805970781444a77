class Invoice < InvoicingRecord
  has_many :invoice_lines, dependent: :destroy

  enum :status, { draft: 0, issued: 1, paid: 2, void: 3 }

  validates :number, presence: true, uniqueness: true
  validates :customer_id, :currency, presence: true

  after_commit :send_issued_email, if: -> { saved_change_to_status?(to: "issued") }

  # customer_id points at customers in the billing database; there is no
  # foreign key because the two tables live on different MySQL servers.
  def customer
    Customer.find(customer_id)
  end

  def total_cents
    invoice_lines.sum(:amount_cents)
  end

  private

  def send_issued_email
    InvoiceMailer.with(invoice: self).issued.deliver_later(queue: :invoicing_mailers)
  end
end
