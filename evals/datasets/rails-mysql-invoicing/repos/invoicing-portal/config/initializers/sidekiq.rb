Sidekiq.configure_server do |config|
  config.redis = { url: ENV.fetch("REDIS_URL", "redis://127.0.0.1:6379/0") }

  # invoicing_mailers gets its own capsule so invoice emails never starve `default`.
  config.capsule("mailers") do |cap|
    cap.concurrency = Integer(ENV.fetch("INVOICING_MAILERS_CONCURRENCY", 5))
    cap.queues = %w[invoicing_mailers]
  end
end

Sidekiq.configure_client do |config|
  config.redis = { url: ENV.fetch("REDIS_URL", "redis://127.0.0.1:6379/0") }
end
