lock "~> 3.18.0"

set :application, "invoicing-portal"
set :repo_url, "git@github.com:acme/invoicing-portal.git"
set :deploy_to, "/var/www/invoicing-portal"
set :keep_releases, 5

append :linked_files, "config/master.key"
append :linked_dirs, "log", "tmp/pids", "tmp/cache", "tmp/sockets", "public/system"

set :migration_role, :db
set :migration_servers, -> { primary(fetch(:migration_role)) }
# Rails multi-db: `db:migrate` runs the billing and the invoicing DB migrations in one go.
set :conditionally_migrate, true
