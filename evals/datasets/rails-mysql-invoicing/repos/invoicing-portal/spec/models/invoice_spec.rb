require "rails_helper"

RSpec.describe Invoice, type: :model do
  it "is stored in the invoicing database, not in billing" do
    expect(described_class.connection_db_config.name).to eq("invoicing")
    expect(described_class.connection_db_config.database).to eq("invoicing_test")
  end

  it "sends the issued email on the invoicing_mailers queue" do
    invoice = Invoice.create!(number: "INV-1", customer_id: 1, currency: "USD", status: :draft)
    expect { invoice.update!(status: :issued) }
      .to have_enqueued_mail(InvoiceMailer, :issued).on_queue("invoicing_mailers")
  end
end
