require "shellwords"

# Maintenance tasks for the invoicing database (nightly backups: ops-ansible roles/mysql_backup).
namespace :invoicing_db do
  desc "Dump the invoicing database with mysqldump into tmp/ (set DUMP_DIR to override)"
  task dump: :environment do
    cfg = ActiveRecord::Base.configurations.configs_for(env_name: Rails.env, name: "invoicing").configuration_hash
    dir = ENV.fetch("DUMP_DIR", Rails.root.join("tmp").to_s)
    file = File.join(dir, "invoicing_backup_#{Time.now.utc.strftime('%Y%m%dT%H%M%S')}.sql.gz")

    cmd = [
      "mysqldump",
      "--single-transaction", "--routines", "--triggers", "--set-gtid-purged=OFF", "--hex-blob",
      "-h", cfg[:host].to_s, "-P", (cfg[:port] || 3306).to_s,
      "-u", cfg[:username].to_s,
      cfg[:database].to_s
    ].shelljoin

    sh({ "MYSQL_PWD" => cfg[:password].to_s }, "#{cmd} | gzip > #{file.shellescape}")
    puts "invoicing DB dumped to #{file}"
  end

  desc "Print row counts for every table in the invoicing DB (sanity check after a restore)"
  task counts: :environment do
    conn = InvoicingRecord.connection
    conn.tables.sort.each do |table|
      puts format("%-30s %d", table, conn.select_value("SELECT COUNT(*) FROM #{conn.quote_table_name(table)}"))
    end
  end
end
