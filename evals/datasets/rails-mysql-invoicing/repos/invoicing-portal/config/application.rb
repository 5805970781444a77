require_relative "boot"

require "rails/all"

Bundler.require(*Rails.groups)

module InvoicingPortal
  class Application < Rails::Application
    config.load_defaults 7.1
    config.time_zone = "UTC"
    config.active_job.queue_adapter = :sidekiq
    config.autoload_lib(ignore: %w[assets tasks])

    # GET/HEAD requests for InvoicingRecord models read from the invoicing replica
    # until 2 seconds after the session's last write.
    config.active_record.database_selector = { delay: 2.seconds }
    config.active_record.database_resolver = ActiveRecord::Middleware::DatabaseSelector::Resolver
    config.active_record.database_resolver_context = ActiveRecord::Middleware::DatabaseSelector::Resolver::Session
  end
end
