# Production stage for invoicing-portal (us-east-1).
server "app-01.prod.acme.internal", user: "deploy", roles: %w[app web db]
server "app-02.prod.acme.internal", user: "deploy", roles: %w[app web]
server "worker-01.prod.acme.internal", user: "deploy", roles: %w[worker]

set :rails_env, "production"
set :branch, ENV.fetch("BRANCH", "main")

# Passwords come from config/credentials/production.yml.enc; only hosts live here.
set :default_env, {
  "DATABASE_URL" => "mysql2://billing_app@billing-mysql-prod.c8x2k1ab.us-east-1.rds.amazonaws.com:3306/billing",
  "INVOICING_DATABASE_URL" => "mysql2://invoicing_app@invoicing-db.prod.acme.internal:3306/invoicing",
  "INVOICING_REPLICA_DATABASE_URL" => "mysql2://invoicing_ro@invoicing-mysql-prod-ro.c8x2k1ab.us-east-1.rds.amazonaws.com:3306/invoicing",
  "INVOICING_ARCHIVE_DATABASE_URL" => "mysql2://archive_ro@invoicing-archive-mysql-prod.c8x2k1ab.us-east-1.rds.amazonaws.com:3306/invoicing_archive",
  "INVOICING_PORTAL_HOST" => "portal.acme.com"
}

namespace :invoicing_db do
  desc "Manual RDS snapshot of invoicing-mysql-prod before migrations run"
  task :snapshot do
    run_locally do
      stamp = Time.now.utc.strftime("%Y%m%d%H%M")
      execute :aws, "rds", "create-db-snapshot",
              "--db-instance-identifier", "invoicing-mysql-prod",
              "--db-snapshot-identifier", "invoicing-mysql-prod-snapshot-#{stamp}"
    end
  end
end

before "deploy:migrate", "invoicing_db:snapshot"
