package com.northwind.profiles.health

import java.sql.SQLException
import javax.sql.DataSource
import org.springframework.beans.factory.annotation.Qualifier
import org.springframework.boot.actuate.health.Health
import org.springframework.boot.actuate.health.HealthIndicator
import org.springframework.stereotype.Component

/**
 * Readiness check for the Customer Profiles database. Registered as "customerProfilesDb" in
 * /actuator/health and included in the readiness group (application.yml), so Kubernetes takes
 * the pod out of rotation while customer_profiles is unreachable instead of serving 500s.
 *
 * Deliberately does not look at the customers datasource or profiles-cache: both have
 * fallbacks and must not take the pod out of rotation.
 */
@Component("customerProfilesDb")
class ProfilesDbHealthIndicator(
    @Qualifier("profilesDataSource") private val dataSource: DataSource,
) : HealthIndicator {

    override fun health(): Health = try {
        dataSource.connection.use { conn ->
            conn.createStatement().use { st ->
                st.queryTimeout = 2
                st.executeQuery("select current_database(), pg_is_in_recovery()").use { rs ->
                    rs.next()
                    Health.up()
                        .withDetail("database", rs.getString(1))
                        .withDetail("inRecovery", rs.getBoolean(2))
                        .build()
                }
            }
        }
    } catch (e: SQLException) {
        Health.down(e).withDetail("database", "CustomerProfiles").build()
    }
}
