package com.quarrylabs.audit.collector.consumer

import com.quarrylabs.audit.collector.model.AuditEvent
import com.quarrylabs.audit.collector.repository.AuditEventRepository
import io.micronaut.configuration.kafka.annotation.KafkaKey
import io.micronaut.configuration.kafka.annotation.KafkaListener
import io.micronaut.configuration.kafka.annotation.OffsetReset
import io.micronaut.configuration.kafka.annotation.Topic
import org.slf4j.LoggerFactory

@KafkaListener(groupId = "audit-events-collector", offsetReset = OffsetReset.EARLIEST)
class AuditEventsConsumer(
    private val repository: AuditEventRepository,
) {
    private val log = LoggerFactory.getLogger(AuditEventsConsumer::class.java)

    // Reads audit.events and writes one row per record into audit_events (table "events").
    @Topic("\${collector.topic}")
    fun receive(@KafkaKey key: String?, event: AuditEvent) {
        repository.save(event)
        log.debug("stored event {} for actor {}", event.id, event.actorId)
    }
}
