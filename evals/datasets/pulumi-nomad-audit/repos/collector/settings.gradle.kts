rootProject.name = "audit-events-collector"
