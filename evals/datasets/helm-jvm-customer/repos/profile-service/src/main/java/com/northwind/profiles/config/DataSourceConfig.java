package com.northwind.profiles.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

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
 * plain {@code spring.datasource.url} is silently ignored. Always use the prefixed keys.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfig {

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.profiles")
    public DataSourceProperties profilesProperties() {
        return new DataSourceProperties();
    }

    @Bean(name = "profilesDataSource")
    @Primary
    @ConfigurationProperties("spring.datasource.profiles.hikari")
    public HikariDataSource profilesDataSource(@Qualifier("profilesProperties") DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    @Bean
    @ConfigurationProperties("spring.datasource.customers")
    public DataSourceProperties customersProperties() {
        return new DataSourceProperties();
    }

    @Bean(name = "customersDataSource")
    @ConfigurationProperties("spring.datasource.customers.hikari")
    public HikariDataSource customersDataSource(@Qualifier("customersProperties") DataSourceProperties properties) {
        HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        dataSource.setReadOnly(true);
        return dataSource;
    }
}
