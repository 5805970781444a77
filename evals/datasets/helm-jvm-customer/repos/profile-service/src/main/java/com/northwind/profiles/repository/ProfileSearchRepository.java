package com.northwind.profiles.repository;

import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Hand-written SQL for the fuzzy search endpoint. JPA cannot express the pg_trgm operators
 * cleanly, so this goes straight to the primary datasource (customer_profiles).
 */
@Repository
public class ProfileSearchRepository {

    private static final String SEARCH_SQL = """
            SELECT p.customer_id, p.display_name, similarity(p.display_name, :q) AS score
              FROM profiles p
             WHERE p.display_name % :q
             ORDER BY score DESC, p.id
             LIMIT :limit
            """;

    public record Hit(UUID customerId, String displayName, double score) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public ProfileSearchRepository(@Qualifier("profilesDataSource") DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    public List<Hit> search(String query, int limit) {
        var params = new MapSqlParameterSource()
                .addValue("q", query)
                .addValue("limit", Math.min(limit, 50));
        return jdbc.query(SEARCH_SQL, params, (rs, i) -> new Hit(
                rs.getObject("customer_id", UUID.class),
                rs.getString("display_name"),
                rs.getDouble("score")));
    }
}
