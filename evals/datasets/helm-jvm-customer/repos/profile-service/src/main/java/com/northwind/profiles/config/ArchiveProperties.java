package com.northwind.profiles.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Read-only access to customer_profiles_archive (profiles of accounts closed before 2021).
 * Owned by the Data Retention team; it is not part of this service's Flyway history and
 * must never be written to.
 *
 * @param enabled  whether GET /v2/profiles/{id} falls back to the archive on a miss
 * @param url      JDBC url of the archive
 * @param username read-only user
 * @param password password for {@code username}
 */
@ConfigurationProperties("profiles.archive")
public record ArchiveProperties(boolean enabled, String url, String username, String password) {
}
