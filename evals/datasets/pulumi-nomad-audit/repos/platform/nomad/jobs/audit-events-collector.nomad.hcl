job "audit-events-collector" {
  datacenters = ["eu-west-1"]
  type        = "service"
  namespace   = "audit"

  update {
    max_parallel     = 1
    min_healthy_time = "30s"
    auto_revert      = true
  }

  group "collector" {
    count = 3

    network {
      port "http" {
        to = 8080
      }
    }

    service {
      name = "audit-events-collector"
      port = "http"
      tags = ["micronaut", "kafka-consumer"]

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "collector" {
      driver = "docker"

      config {
        image = "registry.gitlab.quarrylabs.io/audit/audit-events-collector:1.14.0"
        ports = ["http"]
      }

      vault {
        policies    = ["audit-events-collector"]
        change_mode = "restart"
      }

      template {
        destination = "secrets/db.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
        {{ with secret "database/creds/audit-rw" }}
        AUDIT_DB_USER={{ .Data.username }}
        AUDIT_DB_PASSWORD={{ .Data.password }}
        {{ end }}
        {{ with secret "database/creds/audit-events-rw" }}
        AUDIT_EVENTS_DB_USER={{ .Data.username }}
        AUDIT_EVENTS_DB_PASSWORD={{ .Data.password }}
        AUDIT_EVENTS_DSN=postgresql://{{ .Data.username }}:{{ .Data.password }}@audit-events-db.service.consul:5432/audit_events?sslmode=require
        {{ end }}
        EOT
      }

      template {
        destination = "local/kafka.env"
        env         = true
        data        = <<-EOT
        KAFKA_BOOTSTRAP_SERVERS={{ range $i, $s := service "kafka" }}{{ if $i }},{{ end }}{{ $s.Address }}:{{ $s.Port }}{{ end }}
        KAFKA_TOPIC=audit.events
        EOT
      }

      env {
        MICRONAUT_ENVIRONMENTS = "nomad"
        JAVA_TOOL_OPTIONS      = "-XX:MaxRAMPercentage=75"
      }

      resources {
        cpu    = 500
        memory = 1024
      }
    }
  }
}
