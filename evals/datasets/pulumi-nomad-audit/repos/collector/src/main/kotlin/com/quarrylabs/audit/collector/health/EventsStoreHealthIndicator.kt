package com.quarrylabs.audit.collector.health

import io.micronaut.health.HealthStatus
import io.micronaut.management.health.indicator.AbstractHealthIndicator
import jakarta.inject.Named
import jakarta.inject.Singleton
import javax.sql.DataSource

@Singleton
class EventsStoreHealthIndicator(
    @Named("auditEvents") private val dataSource: DataSource,
) : AbstractHealthIndicator<Map<String, Any>>() {

    override fun getName(): String = "audit-events-db"

    override fun getHealthInformation(): Map<String, Any> {
        dataSource.connection.use { conn ->
            conn.createStatement().use { it.execute("SELECT 1") }
            healthStatus = HealthStatus.UP
            return mapOf("database" to conn.catalog)
        }
    }
}
