package io.bedrockgateway.keys.jpa;

import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.KeyRepository.DuplicateKeyException;
import io.bedrockgateway.keys.VirtualKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.bedrockgateway.keys.jpa.Keys.T0;
import static io.bedrockgateway.keys.jpa.Keys.hash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JpaKeyRepository} against a real database; one subclass per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class KeyRepositoryContract {
    private TestDb testDb;
    private Database database;
    private KeyRepository keys;

    /** The database under test, fresh and empty. */
    abstract TestDb createTestDb();

    @BeforeAll
    void open() {
        testDb = createTestDb();
        database = Database.open(testDb.settings());
        keys = database.keys();
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

    @Test
    void insertedKeyReadsBackWithEveryField() {
        VirtualKey key = Keys.full(hash(1), "team-a-prod");
        keys.insert(key);
        assertEquals(key, keys.findByHash(hash(1)).orElseThrow());
        assertEquals(key, keys.findByAlias("team-a-prod").orElseThrow());
        assertTrue(keys.findByHash(hash(2)).isEmpty());
        assertTrue(keys.findByAlias("nope").isEmpty());
        assertTrue(keys.findByAlias(null).isEmpty());
    }

    @Test
    void minimalKeyGetsDefaults() {
        keys.insert(new VirtualKey(hash(1), null, null, null, null, "1h", null, null, null, null, null, null, null,
                null, null, false, null, null, null));
        VirtualKey stored = keys.findByHash(hash(1)).orElseThrow();
        assertEquals(List.of(), stored.models());
        assertEquals(Map.of(), stored.metadata());
        assertEquals(BigDecimal.ZERO, stored.spend());
        assertTrue(Duration.between(Instant.now(), stored.createdAt()).abs().toMinutes() < 1);
        assertEquals(stored.createdAt(), stored.updatedAt());
        assertEquals(stored.createdAt().plus(Duration.ofHours(1)), stored.budgetResetAt(),
                "a budget period without a reset time starts at creation");
    }

    @Test
    void duplicateHashOrAliasIsRejected() {
        keys.insert(Keys.full(hash(1), "alias-1"));
        DuplicateKeyException byHash = assertThrows(DuplicateKeyException.class,
                () -> keys.insert(Keys.full(hash(1), "alias-2")));
        assertEquals("a key with this hash exists already", byHash.getMessage());
        DuplicateKeyException byAlias = assertThrows(DuplicateKeyException.class,
                () -> keys.insert(Keys.full(hash(2), "alias-1")));
        assertEquals("a key with the alias \"alias-1\" exists already", byAlias.getMessage());
        assertTrue(keys.findByHash(hash(2)).isEmpty());

        // Keys without an alias never collide.
        keys.insert(Keys.minimal(hash(3), null, null, T0));
        keys.insert(Keys.minimal(hash(4), null, null, T0));
        assertEquals(3, keys.count(null, null, null));
    }

    @Test
    void updateSettingsReplacesSettingsButNotSpendOrCreation() {
        keys.insert(Keys.full(hash(1), "before"));
        keys.addSpend(Map.of(hash(1), new BigDecimal("1.25")));
        Instant later = T0.plusSeconds(3600);
        VirtualKey changed = new VirtualKey(hash(1), "ignored", "after", List.of("m"), null, null, null, null,
                null, 5L, null, null, "user-2", null, Map.of("k", "v"), true, new BigDecimal("999"),
                later, later);
        assertTrue(keys.updateSettings(changed));
        VirtualKey stored = keys.findByHash(hash(1)).orElseThrow();
        assertEquals("after", stored.keyAlias());
        assertEquals(List.of("m"), stored.models());
        assertEquals(5L, stored.tpmLimit());
        assertEquals(null, stored.rpmLimit());
        assertEquals(null, stored.budgetDuration());
        assertEquals("user-2", stored.userId());
        assertTrue(stored.blocked());
        assertEquals(new BigDecimal("1.25"), stored.spend(), "spend is left alone");
        assertEquals("sk-...a1b2", stored.keyName(), "the name belongs to the secret");
        assertEquals(T0, stored.createdAt());
        assertEquals(later, stored.updatedAt());
        assertTrue(keys.findByAlias("before").isEmpty());

        assertFalse(keys.updateSettings(Keys.full(hash(9), null)));
        keys.insert(Keys.full(hash(2), "other"));
        assertThrows(DuplicateKeyException.class, () -> keys.updateSettings(Keys.full(hash(2), "after")));
    }

    @Test
    void rehashMovesTheKeyWithItsSpend() {
        keys.insert(Keys.full(hash(1), "moving"));
        keys.addSpend(Map.of(hash(1), new BigDecimal("2.5")));
        Instant before = Instant.now().minusSeconds(1);
        assertTrue(keys.rehash(hash(1), hash(2), "sk-...ffff"));
        assertTrue(keys.findByHash(hash(1)).isEmpty());
        VirtualKey moved = keys.findByHash(hash(2)).orElseThrow();
        assertEquals("sk-...ffff", moved.keyName());
        assertEquals("moving", moved.keyAlias());
        assertEquals(new BigDecimal("2.5"), moved.spend());
        assertEquals(List.of(hash(1)), keys.removedSince(before));
        assertFalse(keys.rehash(hash(1), hash(3), "x"));

        keys.insert(Keys.full(hash(4), null));
        assertThrows(DuplicateKeyException.class, () -> keys.rehash(hash(4), hash(2), "x"));
        assertTrue(keys.findByHash(hash(4)).isPresent());
    }

    @Test
    void deleteCountsTheKeysThatExistedAndRecordsTheirRemoval() throws Exception {
        for (int i = 1; i <= 3; i++) {
            keys.insert(Keys.minimal(hash(i), null, null, T0));
        }
        Instant before = Instant.now().minusSeconds(1);
        assertEquals(0, keys.delete(List.of()));
        assertEquals(2, keys.delete(List.of(hash(1), hash(2), hash(2), hash(9))));
        assertEquals(0, keys.delete(List.of(hash(1))));
        assertEquals(1, keys.count(null, null, null));
        assertEquals(Set.of(hash(1), hash(2)), Set.copyOf(keys.removedSince(before)));
        assertEquals(List.of(), keys.removedSince(Instant.now().plusSeconds(60)));

        // A long list goes through in chunks.
        List<String> many = new ArrayList<>();
        try (Connection c = testDb.connect(); PreparedStatement insert = c.prepareStatement("INSERT INTO virtual_keys"
                + " (token_hash, created_at, updated_at, changed_at) VALUES (?, ?, ?, ?)")) {
            for (int i = 100; i < 100 + Transactions.IN_LIST_CHUNK + 20; i++) {
                many.add(hash(i));
                insert.setString(1, hash(i));
                for (int column = 2; column <= 4; column++) {
                    insert.setObject(column, Times.column(T0));
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
        assertEquals(many.size(), keys.delete(many));
    }

    @Test
    void listFiltersOrdersNewestFirstAndPages() {
        for (int i = 0; i < 10; i++) {
            keys.insert(Keys.minimal(hash(i), i % 2 == 0 ? "even" : "odd", i < 5 ? "low" : "high",
                    T0.plusSeconds(i)));
        }
        List<VirtualKey> all = keys.list(null, null, null, 0, 100);
        assertEquals(10, all.size());
        assertEquals(hash(9), all.get(0).tokenHash());
        assertEquals(hash(0), all.get(9).tokenHash());
        assertEquals(List.of(hash(8), hash(6), hash(4)), hashes(keys.list("even", null, null, 0, 3)));
        assertEquals(List.of(hash(2), hash(0)), hashes(keys.list("even", null, null, 3, 3)));
        assertEquals(List.of(hash(4), hash(2), hash(0)), hashes(keys.list("even", "low", null, 0, 10)));
        assertEquals(List.of(), keys.list(null, null, null, 0, 0));
        assertEquals(10, keys.count(null, null, null));
        assertEquals(5, keys.count("odd", null, null));
        assertEquals(2, keys.count("odd", "low", null));
        assertEquals(0, keys.count(null, null, "none"));

        keys.updateSettings(Keys.full(hash(3), "named"));
        assertEquals(List.of(hash(3)), hashes(keys.list(null, null, "named", 0, 10)));
        assertEquals(1, keys.count(null, null, "named"));
    }

    @Test
    void addSpendIsExactAndIgnoresUnknownKeys() {
        keys.insert(Keys.minimal(hash(1), null, null, T0));
        keys.insert(Keys.minimal(hash(2), null, null, T0));
        keys.addSpend(Map.of(hash(1), new BigDecimal("0.1"), hash(2), new BigDecimal("0.0000000001"),
                hash(9), BigDecimal.TEN));
        keys.addSpend(Map.of(hash(1), new BigDecimal("0.2")));
        keys.addSpend(Map.of());
        assertEquals(new BigDecimal("0.3"), keys.findByHash(hash(1)).orElseThrow().spend());
        assertEquals(new BigDecimal("1E-10"), keys.findByHash(hash(2)).orElseThrow().spend());
        assertTrue(keys.findByHash(hash(9)).isEmpty());
    }

    @Test
    void concurrentSpendIsNeverLost() throws Exception {
        keys.insert(Keys.minimal(hash(1), null, null, T0));
        keys.insert(Keys.minimal(hash(2), null, null, T0));
        // 8 threads x 200 updates of both keys, half of them listing the keys in the other order: no deadlock.
        hammer(8, 200, i -> {
            Map<String, BigDecimal> deltas = new LinkedHashMap<>();
            deltas.put(hash(i % 2 + 1), i % 2 == 0 ? new BigDecimal("0.0001") : BigDecimal.ONE);
            deltas.put(hash(2 - i % 2), i % 2 == 0 ? BigDecimal.ONE : new BigDecimal("0.0001"));
            keys.addSpend(deltas);
        });
        assertEquals(new BigDecimal("0.16"), keys.findByHash(hash(1)).orElseThrow().spend());
        assertEquals(new BigDecimal("1600"), keys.findByHash(hash(2)).orElseThrow().spend());
    }

    @Test
    void twoInstancesOnOneDatabaseShareSpendExactly() throws Exception {
        keys.insert(Keys.minimal(hash(1), null, null, T0));
        try (Database second = Database.open(testDb.settings())) {
            KeyRepository other = second.keys();
            hammer(8, 100, i -> (i % 2 == 0 ? keys : other).addSpend(Map.of(hash(1), new BigDecimal("0.5"))));
            assertEquals(new BigDecimal("400"), other.findByHash(hash(1)).orElseThrow().spend());
        }
        assertEquals(new BigDecimal("400"), keys.findByHash(hash(1)).orElseThrow().spend());
    }

    @Test
    void dueBudgetsResetToTheNextPeriod() {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        VirtualKey base = Keys.minimal(hash(1), null, null, T0);
        keys.insert(Keys.withBudget(base, "1d", now.minusSeconds(60)));                       // due
        keys.insert(Keys.withBudget(Keys.minimal(hash(2), null, null, T0), "1d", now));      // due: not after now
        keys.insert(Keys.withBudget(Keys.minimal(hash(3), null, null, T0), "1d", now.plusSeconds(1)));  // not yet
        keys.insert(Keys.withBudget(Keys.minimal(hash(4), null, null, T0), "1mo",
                Instant.parse("2025-01-31T00:00:00Z")));                                       // missed periods
        keys.insert(Keys.minimal(hash(5), null, null, T0));                                    // no budget period
        Map<String, BigDecimal> spend = Map.of(hash(1), BigDecimal.ONE, hash(2), BigDecimal.ONE,
                hash(3), BigDecimal.ONE, hash(4), BigDecimal.ONE, hash(5), BigDecimal.ONE);
        keys.addSpend(spend);

        assertEquals(3, keys.resetDueBudgets(now));
        assertEquals(BigDecimal.ZERO, keys.findByHash(hash(1)).orElseThrow().spend());
        assertEquals(now.minusSeconds(60).plus(Duration.ofDays(1)), keys.findByHash(hash(1)).orElseThrow()
                .budgetResetAt(), "one period after the reset that came due");
        assertEquals(now.plus(Duration.ofDays(1)), keys.findByHash(hash(2)).orElseThrow().budgetResetAt());
        assertEquals(BigDecimal.ONE, keys.findByHash(hash(3)).orElseThrow().spend());
        assertEquals(Instant.parse("2025-07-01T12:00:00Z"), keys.findByHash(hash(4)).orElseThrow().budgetResetAt(),
                "a period missed entirely restarts at now");
        assertEquals(BigDecimal.ONE, keys.findByHash(hash(5)).orElseThrow().spend());

        assertEquals(0, keys.resetDueBudgets(now), "nothing is due twice");
    }

    @Test
    void changedSinceSeesSettingsSpendAndResets() throws Exception {
        keys.insert(Keys.minimal(hash(1), null, null, T0));
        keys.insert(Keys.minimal(hash(2), null, null, T0));
        Thread.sleep(5);
        Instant mark = Instant.now();
        assertEquals(List.of(), keys.changedSince(mark));
        keys.addSpend(Map.of(hash(1), BigDecimal.ONE));
        assertEquals(List.of(hash(1)), hashes(keys.changedSince(mark)));
        keys.updateSettings(Keys.full(hash(2), "changed"));
        assertEquals(Set.of(hash(1), hash(2)), Set.copyOf(hashes(keys.changedSince(mark))));
        assertEquals(new BigDecimal("1"), keys.changedSince(mark).stream()
                .filter(k -> k.tokenHash().equals(hash(1))).findFirst().orElseThrow().spend());
        assertEquals(2, keys.changedSince(T0.minusSeconds(1)).size());
        assertEquals(List.of(), keys.changedSince(Instant.now().plusSeconds(60)));
    }

    @Test
    void dataAndSchemaSurviveARestart() throws Exception {
        keys.insert(Keys.full(hash(1), "survivor"));
        keys.addSpend(Map.of(hash(1), new BigDecimal("12.3456789012")));
        database.close();
        database.close();   // harmless
        database = Database.open(testDb.settings());
        keys = database.keys();
        assertEquals(new BigDecimal("12.3456789012"), keys.findByHash(hash(1)).orElseThrow().spend());
        keys.addSpend(Map.of(hash(1), new BigDecimal("0.0000000001")));
        assertEquals(new BigDecimal("12.3456789013"), keys.findByHash(hash(1)).orElseThrow().spend());
        try (Connection c = testDb.connect(); Statement s = c.createStatement();
             // Flyway quotes its names: lower case on H2 too.
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT \"version\") FROM \""
                     + Database.MIGRATION_HISTORY_TABLE + "\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL")) {
            rs.next();
            assertEquals(2, rs.getInt(2), "V1 and V2 applied");
            assertEquals(rs.getInt(2), rs.getInt(1), "each migration applied once, not again at the restart");
        }
    }

    private static List<String> hashes(List<VirtualKey> keys) {
        return keys.stream().map(VirtualKey::tokenHash).toList();
    }

    interface Call {
        void run(int i);
    }

    /** {@code threads} named threads, started together, each making {@code calls} calls. */
    static void hammer(int threads, int calls, Call call) throws Exception {
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> new Thread(r, "spend-writer-" + ids.incrementAndGet()));
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < calls; i++) {
                        call.run(thread * calls + i);
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
    }
}
