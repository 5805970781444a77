package com.quarrylabs.audit.collector.repository

import com.quarrylabs.audit.collector.model.AuditEvent
import io.micronaut.data.annotation.Repository
import io.micronaut.data.jdbc.annotation.JdbcRepository
import io.micronaut.data.model.query.builder.sql.Dialect
import io.micronaut.data.repository.CrudRepository
import java.time.Instant
import java.util.UUID

/**
 * Stores consumed events in the Audit Events database (datasource "auditEvents").
 * Historical reads go to audit_events_archive through the reporting service, never through this repository.
 */
@Repository("auditEvents")
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AuditEventRepository : CrudRepository<AuditEvent, UUID> {

    fun findByActorIdAndOccurredAtAfter(actorId: String, occurredAt: Instant): List<AuditEvent>

    fun countByOccurredAtAfter(since: Instant): Long
}
