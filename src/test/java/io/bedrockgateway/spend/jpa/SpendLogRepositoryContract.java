package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.Database;
import io.bedrockgateway.keys.jpa.TestDb;
import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.SpendLogRepository;
import io.bedrockgateway.spend.SpendLogRepository.Filter;
import io.bedrockgateway.spend.SpendLogRepository.GroupBy;
import io.bedrockgateway.spend.SpendLogRepository.ReportRow;
import io.bedrockgateway.spend.Usage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link JpaSpendLogRepository} against a real database; one subclass per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class SpendLogRepositoryContract {
    static final Instant DAY1_LATE = Instant.parse("2025-05-01T23:59:59.999999Z");
    static final Instant DAY2_EARLY = Instant.parse("2025-05-02T00:00:00Z");

    private TestDb testDb;
    private Database database;
    private SpendLogRepository logs;

    abstract TestDb createTestDb();

    @BeforeAll
    void open() {
        testDb = createTestDb();
        database = Database.open(testDb.settings());
        logs = database.spendLogs();
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
        if (testDb != null) {
            testDb.close();
        }
    }

    @BeforeEach
    void clear() {
        testDb.clear();
    }

    static SpendLog log(String id, String key, String user, String team, String endUser, String model,
                        Instant start, long input, long output, String cost) {
        return new SpendLog(id, key, key == null ? null : "alias-" + key, user, team, endUser, model,
                model == null ? null : "us.anthropic." + model + "-v1:0", "dep-1", "Converse", 200,
                new Usage(input, output, 3, 4), new BigDecimal(cost), false, start, start.plusMillis(1500),
                1500, 300, false);
    }

    @Test
    void insertedLogsReadBackWithEveryField() {
        SpendLog full = new SpendLog("req-1", "k1", "alias-k1", "u1", "t1", "eu1", "claude-sonnet",
                "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0",
                "dep-7", "ConverseStream", 200, new Usage(1000, 250, 30, 40), new BigDecimal("0.0123456789"), false,
                Instant.parse("2025-05-01T10:00:00.123456Z"), Instant.parse("2025-05-01T10:00:02.5Z"), 2377, 412, true);
        SpendLog sparse = new SpendLog("req-2", null, null, null, null, null, null, null, "dep-1",
                "RetrieveAndGenerate", 500, Usage.NONE, BigDecimal.ZERO, true, Instant.parse("2025-05-01T09:00:00Z"),
                Instant.parse("2025-05-01T09:00:01Z"), 1000, -1, false);
        logs.insertAll(List.of(full, sparse));
        assertEquals(List.of(full, sparse), logs.find(Filter.ALL, 0, 10));
        logs.insertAll(List.of());
        assertThrows(IllegalArgumentException.class, () -> logs.insertAll(List.of(new SpendLog(null, null, null,
                null, null, null, null, null, "d", "Converse", 200, Usage.NONE, BigDecimal.ZERO, false, DAY1_LATE,
                DAY1_LATE, 0, 0, false))));
    }

    @Test
    void insertAllIsIdempotentPerRequestId() {
        logs.insertAll(List.of(log("a", "k1", null, null, null, "m", DAY1_LATE, 1, 1, "1"),
                log("b", "k1", null, null, null, "m", DAY1_LATE, 1, 1, "2")));
        // A retried batch: b again (ignored), c twice in one batch (once).
        logs.insertAll(List.of(log("b", "k1", null, null, null, "m", DAY1_LATE, 9, 9, "9"),
                log("c", "k1", null, null, null, "m", DAY1_LATE, 1, 1, "3"),
                log("c", "k1", null, null, null, "m", DAY1_LATE, 1, 1, "3")));
        assertEquals(3, logs.count(Filter.ALL));
        assertEquals(new BigDecimal("6"), logs.report(Filter.ALL, Set.of()).get(0).cost());
    }

    @Test
    void aLargeBatchGoesInOneCall() {
        List<SpendLog> batch = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            batch.add(log("r" + i, "k" + i % 3, "u", null, null, "m", DAY1_LATE.minusSeconds(i), 10, 1, "0.001"));
        }
        logs.insertAll(batch);
        logs.insertAll(batch);
        assertEquals(1200, logs.count(Filter.ALL));
        assertEquals(400, logs.count(new Filter("k1", null, null, null, null, null, null)));
        assertEquals(new BigDecimal("1.2"), logs.report(Filter.ALL, Set.of()).get(0).cost());
    }

    @Test
    void findFiltersOrdersNewestFirstAndPages() {
        Instant t = Instant.parse("2025-05-01T12:00:00Z");
        logs.insertAll(List.of(
                log("1", "k1", "u1", "t1", "e1", "sonnet", t, 1, 1, "1"),
                log("2", "k1", "u1", "t2", "e2", "haiku", t.plusSeconds(1), 1, 1, "1"),
                log("3", "k2", "u2", "t1", "e1", "sonnet", t.plusSeconds(2), 1, 1, "1"),
                log("4", "k2", "u2", "t2", null, null, t.plusSeconds(3), 1, 1, "1")));
        assertEquals(List.of("4", "3", "2", "1"), ids(logs.find(Filter.ALL, 0, 10)));
        assertEquals(List.of("3", "2"), ids(logs.find(Filter.ALL, 1, 2)));
        assertEquals(List.of(), logs.find(Filter.ALL, 0, 0));
        assertEquals(List.of("2", "1"), ids(logs.find(new Filter("k1", null, null, null, null, null, null), 0, 9)));
        assertEquals(List.of("4", "3"), ids(logs.find(new Filter(null, "u2", null, null, null, null, null), 0, 9)));
        assertEquals(List.of("3", "1"), ids(logs.find(new Filter(null, null, "t1", null, null, null, null), 0, 9)));
        assertEquals(List.of("3", "1"), ids(logs.find(new Filter(null, null, null, "e1", null, null, null), 0, 9)));
        assertEquals(List.of("3", "1"), ids(logs.find(new Filter(null, null, null, null, "sonnet", null, null), 0, 9)));
        assertEquals(List.of("2"), ids(logs.find(
                new Filter(null, null, null, null, "us.anthropic.haiku-v1:0", null, null), 0, 9)), "by model id");
        // from inclusive, to exclusive
        Filter window = new Filter(null, null, null, null, null, t.plusSeconds(1), t.plusSeconds(3));
        assertEquals(List.of("3", "2"), ids(logs.find(window, 0, 9)));
        assertEquals(2, logs.count(window));
        assertEquals(1, logs.count(new Filter("k2", "u2", "t1", "e1", "sonnet", t, t.plusSeconds(60))));
        assertEquals(0, logs.count(new Filter("k9", null, null, null, null, null, null)));
        assertEquals(4, logs.count(Filter.ALL));
    }

    @Test
    void reportWithoutGroupingIsOneTotalRow() {
        assertEquals(List.of(new ReportRow(null, null, null, null, null, null, null, 0, 0, 0, 0, 0, BigDecimal.ZERO)),
                logs.report(Filter.ALL, Set.of()));
        logs.insertAll(List.of(log("1", "k1", "u1", null, null, "m", DAY1_LATE, 100, 10, "0.1"),
                log("2", "k2", "u1", null, null, "m", DAY2_EARLY, 200, 20, "0.2")));
        assertEquals(List.of(new ReportRow(null, null, null, null, null, null, null, 2, 300, 30, 6, 8,
                new BigDecimal("0.3"))), logs.report(Filter.ALL, EnumSet.noneOf(GroupBy.class)));
    }

    @Test
    void reportGroupsByKeyUserTeamEndUserAndModel() {
        logs.insertAll(List.of(
                log("1", "k1", "u1", "t1", "e1", "sonnet", DAY1_LATE, 100, 10, "1.5"),
                log("2", "k1", "u1", "t1", "e2", "haiku", DAY1_LATE, 100, 10, "0.5"),
                log("3", "k2", "u2", "t1", "e1", "sonnet", DAY1_LATE, 100, 10, "3"),
                log("4", null, null, null, null, null, DAY1_LATE, 0, 0, "0")));
        // Most expensive first; the NULL group last.
        assertEquals(List.of(
                        key("k2", null, 1, 100, 10, "3"),
                        key("k1", null, 2, 200, 20, "2"),
                        key(null, null, 1, 0, 0, "0")),
                logs.report(Filter.ALL, Set.of(GroupBy.KEY)));
        assertEquals(List.of(
                        new ReportRow(null, null, "u2", null, null, "sonnet", null, 1, 100, 10, 3, 4,
                                new BigDecimal("3")),
                        new ReportRow(null, null, "u1", null, null, "sonnet", null, 1, 100, 10, 3, 4,
                                new BigDecimal("1.5")),
                        new ReportRow(null, null, "u1", null, null, "haiku", null, 1, 100, 10, 3, 4,
                                new BigDecimal("0.5"))),
                logs.report(new Filter(null, null, "t1", null, null, null, null), Set.of(GroupBy.USER, GroupBy.MODEL)));
        List<ReportRow> byTeamAndEndUser = logs.report(Filter.ALL, Set.of(GroupBy.TEAM, GroupBy.END_USER));
        assertEquals(3, byTeamAndEndUser.size());
        assertEquals(new ReportRow(null, null, null, "t1", "e1", null, null, 2, 200, 20, 6, 8, new BigDecimal("4.5")),
                byTeamAndEndUser.get(0));
    }

    @Test
    void reportGroupsByUtcDayInOrder() {
        logs.insertAll(List.of(
                log("1", "k1", null, null, null, "m", DAY2_EARLY, 1, 1, "0.25"),
                log("2", "k1", null, null, null, "m", DAY1_LATE, 1, 1, "0.5"),
                log("3", "k2", null, null, null, "m", DAY1_LATE.minusSeconds(3600 * 23), 1, 1, "1"),
                log("4", "k1", null, null, null, "m", DAY2_EARLY.plusSeconds(86_399), 1, 1, "2")));
        assertEquals(List.of(
                        day("2025-05-01", 2, 2, 2, 6, 8, "1.5"),
                        day("2025-05-02", 2, 2, 2, 6, 8, "2.25")),
                logs.report(Filter.ALL, Set.of(GroupBy.DAY)));
        assertEquals(List.of(
                        key("k2", "2025-05-01", 1, 1, 1, "1"),
                        key("k1", "2025-05-01", 1, 1, 1, "0.5"),
                        key("k1", "2025-05-02", 2, 2, 2, "2.25")),
                logs.report(Filter.ALL, Set.of(GroupBy.DAY, GroupBy.KEY)));
        assertEquals(List.of(day("2025-05-02", 2, 2, 2, 6, 8, "2.25")),
                logs.report(new Filter(null, null, null, null, null, DAY2_EARLY, null), Set.of(GroupBy.DAY)));
    }

    @Test
    void endUserSpendAccumulatesExactly() {
        assertEquals(BigDecimal.ZERO, logs.endUserSpend("nobody"));
        assertEquals(BigDecimal.ZERO, logs.endUserSpend(null));
        logs.addEndUserSpend(Map.of("e1", new BigDecimal("0.1"), "e2", new BigDecimal("5")));
        logs.addEndUserSpend(Map.of("e1", new BigDecimal("0.2"), "e3", BigDecimal.ZERO));
        logs.addEndUserSpend(Map.of());
        assertEquals(new BigDecimal("0.3"), logs.endUserSpend("e1"));
        assertEquals(new BigDecimal("5"), logs.endUserSpend("e2"));
        assertEquals(BigDecimal.ZERO, logs.endUserSpend("e3"));
    }

    @Test
    void concurrentEndUserSpendOnNewUsersIsExact() throws Exception {
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8,
                r -> new Thread(r, "end-user-spend-" + ids.incrementAndGet()));
        try (Database second = Database.open(testDb.settings())) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                SpendLogRepository repo = t % 2 == 0 ? logs : second.spendLogs();
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < 50; i++) {
                        // Each call: a new end user, that all threads create at about the same moment.
                        repo.addEndUserSpend(Map.of("new-" + i, new BigDecimal("0.01"), "shared", BigDecimal.ONE));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(45, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertEquals(new BigDecimal("400"), logs.endUserSpend("shared"));
        for (int u = 0; u < 50; u++) {
            assertEquals(new BigDecimal("0.08"), logs.endUserSpend("new-" + u));
        }
    }

    /** A report row grouped by day only. */
    private static ReportRow day(String day, long requests, long in, long out, long read, long write, String cost) {
        return new ReportRow(null, null, null, null, null, null, day, requests, in, out, read, write,
                new BigDecimal(cost));
    }

    /** A report row grouped by key (and day). */
    private static ReportRow key(String key, String day, long requests, long in, long out, String cost) {
        return new ReportRow(key, key == null ? null : "alias-" + key, null, null, null, null, day, requests, in, out,
                3 * requests, 4 * requests, new BigDecimal(cost));
    }

    private static List<String> ids(List<SpendLog> rows) {
        return rows.stream().map(SpendLog::requestId).toList();
    }
}
