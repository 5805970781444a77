class CreateInvoiceLines < ActiveRecord::Migration[7.1]
  def change
    create_table :invoice_lines do |t|
      t.references :invoice, null: false, foreign_key: true
      t.string :description, null: false
      t.integer :quantity, null: false, default: 1
      t.bigint :amount_cents, null: false
      t.timestamps
    end
  end
end
