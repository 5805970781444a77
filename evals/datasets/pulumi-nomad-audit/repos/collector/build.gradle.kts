plugins {
    id("org.jetbrains.kotlin.jvm") version "1.9.23"
    id("org.jetbrains.kotlin.plugin.allopen") version "1.9.23"
    id("com.google.devtools.ksp") version "1.9.23-1.0.20"
    id("com.github.johnrengelman.shadow") version "8.1.1"
    id("io.micronaut.application") version "4.3.5"
    id("org.liquibase.gradle") version "2.2.1"
}

version = "1.14.0"
group = "com.quarrylabs.audit"

repositories {
    mavenCentral()
}

dependencies {
    ksp("io.micronaut.data:micronaut-data-processor")
    implementation("io.micronaut.data:micronaut-data-jdbc")
    implementation("io.micronaut.kafka:micronaut-kafka")
    implementation("io.micronaut.liquibase:micronaut-liquibase")
    implementation("io.micronaut.sql:micronaut-jdbc-hikari")
    implementation("io.micronaut.kotlin:micronaut-kotlin-runtime")
    runtimeOnly("org.postgresql:postgresql")
    runtimeOnly("ch.qos.logback:logback-classic")
    liquibaseRuntime("org.liquibase:liquibase-core:4.25.1")
    liquibaseRuntime("org.postgresql:postgresql:42.7.3")
    liquibaseRuntime("info.picocli:picocli:4.7.5")
    testImplementation("org.testcontainers:postgresql")
    testImplementation("io.micronaut.test:micronaut-test-junit5")
}

application {
    mainClass.set("com.quarrylabs.audit.collector.ApplicationKt")
}

micronaut {
    runtime("netty")
    testRuntime("junit5")
    processing {
        incremental(true)
        annotations("com.quarrylabs.audit.collector.*")
    }
}

liquibase {
    activities.register("auditEvents") {
        this.arguments = mapOf(
            "changelogFile" to "src/main/resources/db/changelog/audit-events/db.changelog-master.xml",
            "url" to (System.getenv("AUDIT_EVENTS_JDBC_URL") ?: "jdbc:postgresql://localhost:5432/audit_events"),
            "username" to (System.getenv("AUDIT_EVENTS_DB_USER") ?: "postgres"),
            "password" to (System.getenv("AUDIT_EVENTS_DB_PASSWORD") ?: "postgres"),
        )
    }
    runList = "auditEvents"
}
