job "pg-backup" {
  datacenters = ["eu-west-1"]
  type        = "batch"
  namespace   = "platform"

  periodic {
    crons            = ["15 2 * * *"]
    prohibit_overlap = true
    time_zone        = "UTC"
  }

  group "backup" {
    task "dump" {
      driver = "docker"

      config {
        image   = "postgres:15-alpine"
        command = "/bin/sh"
        args    = ["local/backup.sh"]
      }

      vault {
        policies = ["pg-backup"]
      }

      template {
        destination = "secrets/targets.env"
        env         = true
        data        = <<-EOT
        {{ with secret "database/creds/audit-ro" }}
        AUDIT_BACKUP_URL=postgresql://{{ .Data.username }}:{{ .Data.password }}@audit-db.service.consul:5432/audit
        {{ end }}
        {{ with secret "database/creds/audit-events-ro" }}
        EVENTS_BACKUP_URL=postgresql://{{ .Data.username }}:{{ .Data.password }}@audit-events-db.service.consul:5432/audit_events
        {{ end }}
        {{ with secret "database/creds/audit-events-archive-ro" }}
        ARCHIVE_BACKUP_URL=postgresql://{{ .Data.username }}:{{ .Data.password }}@audit-events-archive-db.service.consul:5432/audit_events_archive
        {{ end }}
        {{ with secret "aws/sts/pg-backup-s3" }}
        AWS_ACCESS_KEY_ID={{ .Data.access_key }}
        AWS_SECRET_ACCESS_KEY={{ .Data.secret_key }}
        AWS_SESSION_TOKEN={{ .Data.security_token }}
        {{ end }}
        EOT
      }

      template {
        destination = "local/backup.sh"
        perms       = "0755"
        data        = <<-EOT
        #!/bin/sh
        set -eu
        day=$(date +%F)
        apk add --no-cache aws-cli >/dev/null
        pg_dump --format=custom "$AUDIT_BACKUP_URL" | aws s3 cp - "s3://qlabs-pg-backups/audit/$day.dump"
        pg_dump --format=custom "$EVENTS_BACKUP_URL" | aws s3 cp - "s3://qlabs-pg-backups/events/$day.dump"
        pg_dump --format=custom "$ARCHIVE_BACKUP_URL" | aws s3 cp - "s3://qlabs-pg-backups/archive/$day.dump"
        EOT
      }

      resources {
        cpu    = 1000
        memory = 2048
      }
    }
  }
}
