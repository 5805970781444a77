package com.northwind.profiles.repository;

import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Read-only lookups against the Accounts team's customers database (customer status only).
 * Accounts owns that schema; if a query here breaks, talk to #team-accounts first.
 */
@Repository
public class CustomerLookupRepository {

    private final JdbcTemplate jdbc;

    public CustomerLookupRepository(@Qualifier("customersDataSource") DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(2);
    }

    public Optional<String> findStatus(UUID customerId) {
        try {
            return Optional.ofNullable(jdbc.queryForObject(
                    "SELECT status FROM customer_status WHERE customer_id = ?", String.class, customerId));
        } catch (EmptyResultDataAccessException e) {
            return Optional.empty();
        }
    }
}
