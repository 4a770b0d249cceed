package io.bedrockgateway.keys.jpa;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A database for one test class: an embedded H2 in a temp directory, or a fresh schema in the local PostgreSQL
 * ({@code 127.0.0.1:5432/test}, trust auth), dropped by {@link #close()}. PostgreSQL is started when it is down;
 * when it still cannot be reached, {@link #postgres} aborts the calling tests (JUnit assumption: skipped).
 */
public abstract class TestDb implements AutoCloseable {
    static final String PG_HOST = "127.0.0.1";
    /** {@code -Dbgw.test.postgres.port=1} simulates a machine without PostgreSQL. */
    static final int PG_PORT = Integer.getInteger("bgw.test.postgres.port", 5432);
    static final String PG_DATABASE = "test";
    private static final Object PG_LOCK = new Object();
    private static String pgUser;
    private static String pgUnavailable;

    /** The settings that open this database; every call opens the same one (a restart). */
    public abstract DatabaseSettings settings();

    /** A plain JDBC connection to the same data, for test set-up and inspection. */
    public abstract Connection connect() throws SQLException;

    public abstract String name();

    @Override
    public abstract void close();

    /** Deletes every row of the gateway's tables (not the migration history). */
    public void clear() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String table : List.of("spend_logs", "end_user_spend", "removed_keys", "virtual_keys")) {
                s.executeUpdate("DELETE FROM " + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name();
    }

    public static TestDb h2() {
        try {
            return new H2(Files.createTempDirectory("bgw-h2-"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A fresh schema {@code bgw_test_<random>}; {@code litellmForm} opens it through a {@code postgresql://} URL
     * ({@code ?schema=}), otherwise through {@code jdbc:postgresql:} ({@code ?currentSchema=}).
     */
    public static TestDb postgres(boolean litellmForm) {
        String user = postgresUser();
        String schema = "bgw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Postgres db = new Postgres(user, schema, litellmForm);
        try (Connection c = db.adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return db;
    }

    /** The user that connects to the local PostgreSQL; aborts the test when there is none. */
    static String postgresUser() {
        synchronized (PG_LOCK) {
            if (pgUser == null && pgUnavailable == null) {
                probePostgres();
            }
            Assumptions.assumeTrue(pgUser != null, () -> "PostgreSQL tests skipped: " + pgUnavailable);
            return pgUser;
        }
    }

    private static void probePostgres() {
        if (!ready()) {
            // The machine's documented start command; harmless when PostgreSQL is not installed.
            int started = run(30, "sh", "-c", "pg_ctlcluster --skip-systemctl-redirect"
                    + " \"$(ls /etc/postgresql | head -n1)\" main start");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(started == 0 ? 15 : 0);
            while (!ready() && System.nanoTime() < deadline) {
                sleep(200);
            }
        }
        List<String> failures = new ArrayList<>();
        for (String user : Stream.of("postgres", System.getProperty("user.name")).distinct().toList()) {
            try (Connection c = postgresConnection(jdbcUrl(null), user)) {
                c.createStatement().execute("SELECT 1");
                pgUser = user;
                return;
            } catch (SQLException e) {
                failures.add(user + ": " + e.getMessage());
            }
        }
        pgUnavailable = "no connection to " + PG_HOST + ":" + PG_PORT + "/" + PG_DATABASE + " (" + failures + ")";
    }

    private static boolean ready() {
        return run(5, "pg_isready", "-q", "-h", PG_HOST, "-p", String.valueOf(PG_PORT)) == 0;
    }

    private static int run(int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Through the driver itself, not {@code DriverManager}: the last {@code Database.close()} deregisters the drivers.
     */
    static Connection postgresConnection(String url, String user) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        return new org.postgresql.Driver().connect(url, properties);
    }

    static String jdbcUrl(String schema) {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + PG_DATABASE
                + (schema == null ? "" : "?currentSchema=" + schema);
    }

    private static final class H2 extends TestDb {
        private final Path directory;

        H2(Path directory) {
            this.directory = directory;
        }

        @Override
        public DatabaseSettings settings() {
            return DatabaseSettings.embedded(directory.resolve("data"));
        }

        @Override
        public Connection connect() throws SQLException {
            // The same URL as the gateway's pool: H2 shares the open database within the JVM.
            return new org.h2.Driver().connect(settings().url().jdbcUrl(), new Properties());
        }

        @Override
        public String name() {
            return "H2";
        }

        @Override
        public void close() {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temp directory: left behind at worst.
            }
        }
    }

    private static final class Postgres extends TestDb {
        private final String user;
        private final String schema;
        private final boolean litellmForm;

        Postgres(String user, String schema, boolean litellmForm) {
            this.user = user;
            this.schema = schema;
            this.litellmForm = litellmForm;
        }

        @Override
        public DatabaseSettings settings() {
            String url = litellmForm
                    ? "postgresql://" + user + "@" + PG_HOST + ":" + PG_PORT + "/" + PG_DATABASE + "?schema=" + schema
                    + "&sslmode=disable&connection_limit=5"
                    : jdbcUrl(schema) + "&user=" + user;
            return new DatabaseSettings(url, null, 0);
        }

        @Override
        public Connection connect() throws SQLException {
            return postgresConnection(jdbcUrl(schema), user);
        }

        Connection adminConnection() throws SQLException {
            return postgresConnection(jdbcUrl(null), user);
        }

        @Override
        public String name() {
            return "PostgreSQL " + schema.toLowerCase(Locale.ROOT);
        }

        @Override
        public void close() {
            try (Connection c = adminConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
