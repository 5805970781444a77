package com.northwind.profiles.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.profiles.domain.CustomerProfile;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

@SpringBootTest
@Testcontainers
class ProfileSearchRepositoryIT {

    // Same major/minor as RDS (customerprofiles-prod-01 runs 15.6). The database name matters:
    // V4 runs ALTER DATABASE customer_profiles.
    @Container
    static final PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:15.6-alpine")
            .withDatabaseName("customer_profiles")
            .withUsername("profiles_app")
            .withPassword("test");

    @DynamicPropertySource
    static void datasources(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.profiles.url", postgres::getJdbcUrl);
        registry.add("spring.datasource.profiles.username", postgres::getUsername);
        registry.add("spring.datasource.profiles.password", postgres::getPassword);
        // Search never touches the customers database. Point it at a closed port and let Hikari
        // start lazily so the context still comes up.
        registry.add("spring.datasource.customers.url", () -> "jdbc:postgresql://localhost:1/customers");
        registry.add("spring.datasource.customers.hikari.initialization-fail-timeout", () -> "-1");
        registry.add("spring.flyway.placeholders.customersHost", () -> "localhost");
        registry.add("spring.cache.type", () -> "none");
    }

    @Autowired
    ProfileSearchRepository search;

    @Autowired
    CustomerProfileRepository profiles;

    @BeforeEach
    void seed() {
        profiles.deleteAll();
        profiles.save(new CustomerProfile(UUID.randomUUID(), "Margaret Hamilton"));
        profiles.save(new CustomerProfile(UUID.randomUUID(), "Margret Hamilton"));
        profiles.save(new CustomerProfile(UUID.randomUUID(), "Katherine Johnson"));
    }

    @Test
    void findsSimilarDisplayNamesBestFirst() {
        var hits = search.search("Margaret Hamiltn", 10);

        assertThat(hits).hasSize(2);
        assertThat(hits.get(0).displayName()).isEqualTo("Margaret Hamilton");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    }

    @Test
    void capsTheLimitAtFifty() {
        for (int i = 0; i < 60; i++) {
            profiles.save(new CustomerProfile(UUID.randomUUID(), "Hamilton " + i));
        }

        assertThat(search.search("Hamilton", 500)).hasSizeLessThanOrEqualTo(50);
    }
}
