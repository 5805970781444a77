class AddTaxRegionToInvoices < ActiveRecord::Migration[7.1]
  def up
    add_column :invoices, :tax_region, :string, limit: 8
    add_index :invoices, [:tax_region, :issued_on]

    execute <<~SQL
      UPDATE invoicing.invoices SET tax_region = 'US' WHERE currency = 'USD'
    SQL
  end

  def down
    remove_index :invoices, [:tax_region, :issued_on]
    remove_column :invoices, :tax_region
  end
end
