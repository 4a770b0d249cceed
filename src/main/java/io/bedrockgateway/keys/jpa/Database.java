package io.bedrockgateway.keys.jpa;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.spend.SpendLogRepository;
import io.bedrockgateway.spend.jpa.JpaSpendLogRepository;
import jakarta.persistence.EntityManagerFactory;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.flywaydb.core.Flyway;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The gateway's database: a DataSource, the schema migrated to the current version, and the repositories on top.
 *
 * <p>{@link #open} picks the DataSource (first match wins): the container's JNDI DataSource {@value #JNDI_NAME}
 * (used as it is, pooled by the container); else {@link DatabaseSettings#databaseUrl()} (PostgreSQL or H2); else an
 * embedded H2 file database in {@link DatabaseSettings#dataDirectory()}, created on first use. Own connections are
 * pooled by HikariCP. Then Flyway applies {@code classpath:db/migration} (EclipseLink never generates DDL), and the
 * persistence unit {@code bedrock-gateway} is started on that DataSource.
 *
 * <p>Thread-safe: the repositories may be used from any thread, concurrently; they block on database I/O. Close
 * once, after the last use: it closes the persistence unit and the pool (not a JNDI DataSource), and when no other
 * Database of this class loader is open, deregisters the JDBC drivers the webapp brought. Closing twice is
 * harmless.
 */
public final class Database implements AutoCloseable {
    /** Where an app server's DataSource is looked up (Tomcat: {@code <Resource name="jdbc/BedrockGateway">}). */
    public static final String JNDI_NAME = "java:comp/env/jdbc/BedrockGateway";
    /** The embedded database's file in the data directory, without H2's {@code .mv.db} suffix. */
    public static final String EMBEDDED_FILE_NAME = "bedrock-gateway";
    public static final String PERSISTENCE_UNIT = "bedrock-gateway";
    static final String POOL_NAME = "bedrock-gateway-db";
    static final String MIGRATION_HISTORY_TABLE = "bgw_schema_history";
    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    /** EclipseLink shares a deployed unit between factories of one session name: each Database needs its own. */
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final String description;
    private final DatabaseVendor vendor;
    private final HikariDataSource pool;
    private final EntityManagerFactory factory;
    private final KeyRepository keys;
    private final SpendLogRepository spendLogs;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(String description, DatabaseVendor vendor, DataSource dataSource, HikariDataSource pool,
                     EntityManagerFactory factory) {
        this.description = description;
        this.vendor = vendor;
        this.pool = pool;
        this.factory = factory;
        Transactions tx = new Transactions(factory);
        this.keys = new JpaKeyRepository(tx, Clock.systemUTC());
        this.spendLogs = new JpaSpendLogRepository(tx, dataSource, vendor, Clock.systemUTC());
    }

    /**
     * Connects, migrates and starts the persistence unit; blocks until done.
     *
     * @throws IllegalStateException with a one-line message (never a password) when the database cannot be reached,
     *                               is not PostgreSQL or H2, or cannot be migrated
     */
    public static Database open(DatabaseSettings settings) {
        DataSource jndi = lookupJndi();
        if (jndi != null) {
            return start(jndi, null, "JNDI " + JNDI_NAME);
        }
        DatabaseUrl url = settings.url();
        if (settings.databaseUrl() == null) {
            createDirectory(settings);
        }
        HikariDataSource pool;
        JdbcDrivers.acquire(url.vendor());
        try {
            pool = new HikariDataSource(poolConfig(url, settings.maxPoolSize()));
        } catch (RuntimeException e) {
            JdbcDrivers.release();
            throw failure(url.redacted(), e);
        }
        try {
            return start(pool, pool, url.redacted());
        } catch (RuntimeException e) {
            JdbcDrivers.release();
            throw e;
        }
    }

    public KeyRepository keys() {
        return keys;
    }

    public SpendLogRepository spendLogs() {
        return spendLogs;
    }

    public DatabaseVendor vendor() {
        return vendor;
    }

    /** Which database this is, for logs: JNDI name or URL and user, never the password. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            factory.close();
        } finally {
            if (pool != null) {
                pool.close();
                JdbcDrivers.release();
            }
        }
    }

    @Override
    public String toString() {
        return "Database[" + vendor + " " + description + "]";
    }

    private static Database start(DataSource dataSource, HikariDataSource pool, String description) {
        try {
            DatabaseVendor vendor = vendorOf(dataSource);
            migrate(dataSource);
            EntityManagerFactory factory = persistenceUnit(dataSource, vendor);
            LOG.info(() -> "bedrock-gateway: database " + vendor + " " + description);
            return new Database(description, vendor, dataSource, pool, factory);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw failure(description, e);
        }
    }

    /** The container's DataSource, or {@code null} when there is no JNDI (plain Java, the embedded launcher). */
    private static DataSource lookupJndi() {
        Object found;
        try {
            InitialContext context = new InitialContext();
            try {
                found = context.lookup(JNDI_NAME);
            } finally {
                context.close();
            }
        } catch (NamingException | RuntimeException e) {
            // No naming context (NoInitialContextException), or no such name: not an app-server deployment.
            return null;
        }
        if (found instanceof DataSource dataSource) {
            return dataSource;
        }
        throw new IllegalStateException("database: " + JNDI_NAME + " is a " + found.getClass().getName()
                + ", not a javax.sql.DataSource");
    }

    private static void createDirectory(DatabaseSettings settings) {
        try {
            Files.createDirectories(settings.dataDirectory());
        } catch (IOException e) {
            throw new IllegalStateException("database: cannot create the data directory "
                    + settings.dataDirectory().toAbsolutePath() + ": " + e, e);
        }
    }

    private static HikariConfig poolConfig(DatabaseUrl url, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setDriverClassName(url.vendor().driverClassName());
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        // Fail open() at once when the database is unreachable, rather than at the first request.
        config.setInitializationFailTimeout(1);
        return config;
    }

    private static DatabaseVendor vendorOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return DatabaseVendor.fromProductName(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table(MIGRATION_HISTORY_TABLE)
                .cleanDisabled(true)
                .load()
                .migrate();
    }

    private static EntityManagerFactory persistenceUnit(DataSource dataSource, DatabaseVendor vendor) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("eclipselink.target-database", vendor.eclipseLinkPlatform());
        properties.put("eclipselink.session-name", PERSISTENCE_UNIT + "-" + SESSIONS.incrementAndGet());
        properties.put("eclipselink.classloader", Database.class.getClassLoader());
        // Deploy now, so that a mapping or connection problem fails open(), not the first request.
        properties.put("eclipselink.deploy-on-startup", "true");
        EntityManagerFactory factory =
                new PersistenceProvider().createEntityManagerFactory(PERSISTENCE_UNIT, properties);
        if (factory == null) {
            throw new IllegalStateException(
                    "persistence unit " + PERSISTENCE_UNIT + " not found (META-INF/persistence.xml)");
        }
        try {
            factory.createEntityManager().close();
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
        return factory;
    }

    private static IllegalStateException failure(String description, RuntimeException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        reason = DatabaseUrl.redact(reason.lines().findFirst().orElse("").strip());
        return new IllegalStateException("database " + description + ": " + reason, e);
    }
}
