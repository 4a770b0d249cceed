package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.Database;
import io.bedrockgateway.keys.jpa.Keys;
import io.bedrockgateway.keys.jpa.TestDb;
import io.bedrockgateway.keys.VirtualKey;
import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.SpendLogRepository.Filter;
import io.bedrockgateway.spend.SpendLogRepository.GroupBy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Instants and UTC days do not depend on the JVM's time zone (here UTC+14, where 23:59 UTC is already tomorrow):
 * both drivers take the session zone from the JVM when a connection opens.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeZoneIndependenceTest {
    private TimeZone original;

    @BeforeEach
    void farEast() {
        original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
        org.h2.util.DateTimeUtils.resetCalendar();   // H2 caches the JVM's zone
    }

    @AfterEach
    void restore() {
        TimeZone.setDefault(original);
        org.h2.util.DateTimeUtils.resetCalendar();
    }

    @Test
    void h2() {
        check(TestDb::h2);
    }

    @Test
    void postgres() {
        check(() -> TestDb.postgres(false));
    }

    private static void check(Supplier<TestDb> databases) {
        try (TestDb testDb = databases.get(); Database database = Database.open(testDb.settings())) {
            SpendLog late = SpendLogRepositoryContract.log("1", "k1", null, null, null, "m",
                    SpendLogRepositoryContract.DAY1_LATE, 1, 1, "1");
            SpendLog early = SpendLogRepositoryContract.log("2", "k1", null, null, null, "m",
                    SpendLogRepositoryContract.DAY2_EARLY, 1, 1, "1");
            database.spendLogs().insertAll(List.of(late, early));
            assertEquals(List.of(early, late), database.spendLogs().find(Filter.ALL, 0, 10));
            assertEquals(List.of("2025-05-01", "2025-05-02"), database.spendLogs().report(Filter.ALL,
                    Set.of(GroupBy.DAY)).stream().map(r -> r.day()).toList());
            assertEquals(List.of(early), database.spendLogs().find(new Filter(null, null, null, null, null,
                    SpendLogRepositoryContract.DAY2_EARLY, null), 0, 10));

            VirtualKey key = Keys.full(Keys.hash(1), "tz");
            database.keys().insert(key);
            assertEquals(key, database.keys().findByHash(Keys.hash(1)).orElseThrow());
        }
    }
}
