# Oracle client configuration and DBA cron jobs for the db-admin hosts.
class profile::oracle_clients {

  file { '/opt/oracle/network/admin/tnsnames.ora':
    ensure => file,
    owner  => 'oracle',
    source => 'puppet:///modules/dba/tnsnames.ora',
  }

  oracle::tnsentry { 'POLICYCORE':
    host    => 'policycore-db.corp.example',
    port    => 1521,
    service => 'POLICYCORE',
  }

  oracle::tnsentry { 'CLAIMSHIST':
    host    => 'claimshist-db.corp.example',
    port    => 1521,
    service => 'CLAIMSHIST',
  }

  cron { 'gather_stats':
    command => '/opt/dba-scripts/bin/gather_stats.sh',
    user    => 'oracle',
    hour    => 1,
    minute  => 0,
  }

  cron { 'claims_history_backup':
    command => '/opt/dba-scripts/bin/export_claims_history.sh >> /var/log/dba/claims_history_export.log 2>&1',
    user    => 'oracle',
    hour    => 2,
    minute  => 15,
  }
}
