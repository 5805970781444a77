# Lives in the billing database (ApplicationRecord / primary).
class Customer < ApplicationRecord
  has_many :payments

  def invoices
    Invoice.where(customer_id: id)
  end
end
