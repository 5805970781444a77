package com.example.portal.legacy;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Weekly CSV of pre-2015 claims still referenced by open policies. */
@Component
public class LegacyClaimsReportJob {

    private final JdbcTemplate jdbc;

    public LegacyClaimsReportJob(@Qualifier("legacyClaimsJdbc") JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(cron = "0 0 3 * * MON")
    public void run() {
        List<Map<String, Object>> rows = jdbc.queryForList(
            "SELECT policy_no, COUNT(*) AS n FROM claim_event GROUP BY policy_no");
        ReportWriter.writeCsv("/var/reports/legacy-claims.csv", rows);
    }
}
