# Month-end jobs for our invoicing process. Owned by the invoicing team (#invoicing-team).
namespace :billing_runs do
  desc "Issue draft invoices for the previous month"
  task monthly: :environment do
    period = Date.current.prev_month
    Invoice.draft.where(issued_on: nil).find_each do |invoice|
      invoice.update!(status: :issued, issued_on: Date.current, due_on: Date.current + 30)
    end
    puts "Issued invoices for #{period.strftime('%B %Y')}"
  end

  desc "Queue payment reminders for overdue invoices (runs on invoicing_mailers)"
  task send_invoicing_reminders: :environment do
    Invoice.issued.where("due_on < ?", Date.current).find_each do |invoice|
      InvoiceMailer.with(invoice: invoice).overdue.deliver_later(queue: :invoicing_mailers)
    end
  end
end
