# Invoicing DB migration. Run with: bin/rails db:migrate:invoicing
class CreateInvoices < ActiveRecord::Migration[7.1]
  def change
    create_table :invoices do |t|
      t.string :number, null: false
      t.bigint :customer_id, null: false # customers live in billing, so no FK
      t.string :currency, null: false, limit: 3
      t.integer :status, null: false, default: 0
      t.date :issued_on
      t.date :due_on
      t.binary :pdf, size: :long
      t.timestamps
    end
    add_index :invoices, :number, unique: true
    add_index :invoices, :customer_id
  end
end
