RSpec.configure do |config|
  config.before(:suite) do
    DatabaseCleaner[:active_record, db: ApplicationRecord].strategy = :transaction
    DatabaseCleaner[:active_record, db: InvoicingRecord].strategy = :transaction
    DatabaseCleaner.clean_with(:truncation)
  end

  config.around(:each) do |example|
    DatabaseCleaner.cleaning { example.run }
  end
end
