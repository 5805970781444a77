package com.northwind.profiles.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * Wires the two JDBC datasources used by the service.
 *
 * <ul>
 *   <li>{@code profilesDataSource} (primary): the Customer Profiles database, {@code customer_profiles}.
 *       Spring Boot builds the JPA EntityManagerFactory, Flyway and the JDBC health
 *       indicator from the primary bean, so none of that needs explicit wiring here.
 *   <li>{@code customersDataSource}: read-only connection to the Accounts team's {@code customers}
 *       database, used by {@link com.northwind.profiles.repository.CustomerLookupRepository}.
 * </ul>
 *
 * <p>Because we declare our own DataSource beans, DataSourceAutoConfiguration backs off and a
 * plain {@code spring.datasource.url} is silently ignored. Always use the prefixed keys. The
 * url/username/password are bound into {@link DataSourceProperties} (so the driver is derived
 * from the url), the {@code .hikari.*} sub-keys straight onto the pool.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfig {

    @Bean(name = "profilesDataSource")
    @Primary
    @ConfigurationProperties("spring.datasource.profiles.hikari")
    public HikariDataSource profilesDataSource(Environment environment) {
        DataSourceProperties properties = Binder.get(environment)
                .bind("spring.datasource.profiles", DataSourceProperties.class)
                .orElseThrow(() -> new IllegalStateException("spring.datasource.profiles.url is not set"));
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    @Bean(name = "customersDataSource")
    @ConfigurationProperties("spring.datasource.customers.hikari")
    public HikariDataSource customersDataSource(Environment environment) {
        DataSourceProperties properties = Binder.get(environment)
                .bind("spring.datasource.customers", DataSourceProperties.class)
                .orElseThrow(() -> new IllegalStateException("spring.datasource.customers.url is not set"));
        HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        dataSource.setReadOnly(true);
        return dataSource;
    }
}
