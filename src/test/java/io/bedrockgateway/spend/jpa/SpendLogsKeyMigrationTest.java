package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.Database;
import io.bedrockgateway.keys.jpa.DatabaseUrl;
import io.bedrockgateway.keys.jpa.TestDb;
import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.SpendLogRepository.Filter;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Migration 2 (spend_logs keyed by start time and request id) keeps the rows a version-1 database holds, and a
 * batch retried across the upgrade still neither fails nor doubles.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpendLogsKeyMigrationTest {

    @Test
    void h2() throws SQLException {
        check(TestDb::h2);
    }

    @Test
    void postgres() throws SQLException {
        check(() -> TestDb.postgres(false));
    }

    private static void check(Supplier<TestDb> databases) throws SQLException {
        try (TestDb testDb = databases.get()) {
            DatabaseUrl url = testDb.settings().url();
            Flyway.configure(SpendLogsKeyMigrationTest.class.getClassLoader())
                    .dataSource(url.jdbcUrl(), url.user(), url.password())
                    .locations("classpath:db/migration").table("bgw_schema_history").target("1")
                    .load().migrate();
            SpendLog before = SpendLogRepositoryContract.log("r-1", "k1", "u1", null, null, "m",
                    SpendLogRepositoryContract.DAY1_LATE, 5, 7, "0.25");
            try (Connection c = testDb.connect()) {
                insertAsVersion1(c, before);
            }
            try (Database database = Database.open(testDb.settings())) {
                SpendLog after = SpendLogRepositoryContract.log("r-2", "k1", "u1", null, null, "m",
                        SpendLogRepositoryContract.DAY2_EARLY, 1, 1, "0.5");
                database.spendLogs().insertAll(List.of(before, after));
                assertEquals(List.of(after, before), database.spendLogs().find(Filter.ALL, 0, 10));
            }
        }
    }

    private static void insertAsVersion1(Connection c, SpendLog row) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO spend_logs (request_id, key_hash, key_alias,"
                + " user_id, team_id, end_user, model_alias, model_id, deployment, route, status, input_tokens,"
                + " output_tokens, cache_read_tokens, cache_write_tokens, cost, price_unknown, start_time, end_time,"
                + " latency_ms, ttfb_ms, streamed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?)")) {
            Object[] values = {row.requestId(), row.keyHash(), row.keyAlias(), row.userId(), row.teamId(),
                row.endUser(), row.modelAlias(), row.modelId(), row.deployment(), row.route(), row.status(),
                row.usage().inputTokens(), row.usage().outputTokens(), row.usage().cacheReadTokens(),
                row.usage().cacheWriteTokens(), row.cost(), row.priceUnknown(),
                row.startTime().atOffset(ZoneOffset.UTC), row.endTime().atOffset(ZoneOffset.UTC),
                row.latencyMillis(), row.ttfbMillis(), row.streamed()};
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
        }
    }
}
