package com.quarrylabs.audit.collector.model

import io.micronaut.data.annotation.Id
import io.micronaut.data.annotation.MappedEntity
import io.micronaut.data.annotation.TypeDef
import io.micronaut.data.model.DataType
import io.micronaut.serde.annotation.Serdeable
import java.time.Instant
import java.util.UUID

@Serdeable
@MappedEntity("events")
data class AuditEvent(
    @field:Id val id: UUID,
    val actorId: String,
    val action: String?,
    val resource: String?,
    @field:TypeDef(type = DataType.JSON) val payload: Map<String, Any?>?,
    val occurredAt: Instant,
)
