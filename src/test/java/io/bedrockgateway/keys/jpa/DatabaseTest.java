package io.bedrockgateway.keys.jpa;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.naming.Context;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.bedrockgateway.keys.jpa.Keys.hash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link Database#open} picks and prepares its database, and how it fails. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DatabaseTest {
    @TempDir
    Path temp;

    @AfterEach
    void noJndi() {
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        TestNamingContextFactory.BOUND.clear();
    }

    @Test
    void withoutJndiOrUrlTheEmbeddedDatabaseIsCreatedOnFirstRun() {
        Path dataDirectory = temp.resolve("not/yet/there");
        try (Database database = Database.open(DatabaseSettings.embedded(dataDirectory))) {
            assertEquals(DatabaseVendor.H2, database.vendor());
            assertTrue(Files.exists(dataDirectory.resolve("bedrock-gateway.mv.db")));
            assertTrue(database.description().startsWith("jdbc:h2:file:"), database.description());
            database.keys().insert(Keys.full(hash(1), "first"));
        }
        try (Database database = Database.open(DatabaseSettings.embedded(dataDirectory))) {
            assertTrue(database.keys().findByAlias("first").isPresent());
        }
    }

    @Test
    void aJndiContextWithoutTheNameFallsBackSilently() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, TestNamingContextFactory.class.getName());
        try (Database database = Database.open(DatabaseSettings.embedded(temp))) {
            assertEquals(DatabaseVendor.H2, database.vendor());
            assertFalse(database.description().startsWith("JNDI"));
        }
    }

    @Test
    void theContainersDataSourceWinsOverTheUrl() {
        JdbcDataSource containerPool = new JdbcDataSource();
        containerPool.setURL("jdbc:h2:" + temp.resolve("container").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        TestNamingContextFactory.BOUND.put(Database.JNDI_NAME, containerPool);
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, TestNamingContextFactory.class.getName());
        // The URL names a port where nothing listens: it must not even be tried.
        try (Database database = Database.open(DatabaseSettings.of("postgresql://u:p@127.0.0.1:1/none"))) {
            assertEquals("JNDI java:comp/env/jdbc/BedrockGateway", database.description());
            database.keys().insert(Keys.minimal(hash(1), null, null, Keys.T0));
            database.keys().addSpend(Map.of(hash(1), BigDecimal.TEN));
            assertEquals(BigDecimal.TEN, database.keys().findByHash(hash(1)).orElseThrow().spend());
        }
        assertTrue(Files.exists(temp.resolve("container.mv.db")));
    }

    @Test
    void aJndiNameThatIsNoDataSourceIsAnError() {
        TestNamingContextFactory.BOUND.put(Database.JNDI_NAME, "jdbc:postgresql://h/db");
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, TestNamingContextFactory.class.getName());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Database.open(DatabaseSettings.embedded(temp)));
        assertEquals("database: java:comp/env/jdbc/BedrockGateway is a java.lang.String, not a javax.sql.DataSource",
                e.getMessage());
    }

    @Test
    void anUnreachableDatabaseFailsFastWithOneLineAndNoPassword() {
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Database.open(DatabaseSettings.of("postgresql://gw:hunter2@127.0.0.1:1/llm?sslmode=disable")));
        String message = e.getMessage();
        assertTrue(message.startsWith("database jdbc:postgresql://127.0.0.1:1/llm?sslmode=disable (user gw): "),
                message);
        assertFalse(message.contains("hunter2") || message.contains("\n"), message);
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 15);
    }

    @Test
    void anExplicitH2UrlIsUsedAsItIs() {
        String url = "jdbc:h2:" + temp.resolve("explicit").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        try (Database database = Database.open(DatabaseSettings.of(url))) {
            assertEquals(DatabaseVendor.H2, database.vendor());
            assertEquals(url, database.description());
        }
        assertTrue(Files.exists(temp.resolve("explicit.mv.db")));
    }

    @Test
    void theLastCloseDeregistersTheDriversTheNextOpenRegistersThem() throws Exception {
        Database first = Database.open(DatabaseSettings.embedded(temp.resolve("one")));
        Database second = Database.open(DatabaseSettings.embedded(temp.resolve("two")));
        first.close();
        assertTrue(h2DriverRegistered(), "still in use by the second");
        second.close();
        assertFalse(h2DriverRegistered(), "nothing left to pin this class loader");
        try (Database third = Database.open(DatabaseSettings.embedded(temp.resolve("one")))) {
            assertTrue(h2DriverRegistered());
            assertTrue(third.keys().findByHash(hash(1)).isEmpty());
        }
        assertFalse(h2DriverRegistered());
        assertThrows(IllegalStateException.class,
                () -> Database.open(DatabaseSettings.of("postgresql://u:p@127.0.0.1:1/none")));
        assertFalse(DriverManager.drivers().anyMatch(d -> d.getClass() == org.postgresql.Driver.class),
                "a failed open releases the driver too");
    }

    private static boolean h2DriverRegistered() {
        return DriverManager.drivers().anyMatch(d -> d.getClass() == org.h2.Driver.class);
    }

    @Test
    void onlyPostgresqlAndH2AreSupported() {
        assertEquals(DatabaseVendor.H2, DatabaseVendor.fromProductName("H2"));
        assertEquals(DatabaseVendor.POSTGRESQL, DatabaseVendor.fromProductName("PostgreSQL"));
        assertEquals("database MySQL is not supported; bedrock-gateway runs on PostgreSQL or H2",
                assertThrows(IllegalStateException.class, () -> DatabaseVendor.fromProductName("MySQL")).getMessage());
    }
}
