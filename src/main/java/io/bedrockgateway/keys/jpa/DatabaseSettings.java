package io.bedrockgateway.keys.jpa;

import java.nio.file.Path;

/**
 * Where the gateway keeps keys and spend. Immutable and thread-safe.
 *
 * <p>{@link Database#open} takes, first match wins: the container's JNDI DataSource
 * {@code java:comp/env/jdbc/BedrockGateway}; else {@code databaseUrl}; else an embedded H2 database, file
 * {@code bedrock-gateway.mv.db} in {@code dataDirectory}.
 *
 * @param databaseUrl   {@code postgresql://user:password@host:5432/db?sslmode=require} (also {@code postgres://}),
 *                      {@code jdbc:postgresql://...} or {@code jdbc:h2:...}; {@code null} or blank for the embedded
 *                      database. From {@code general_settings.database_url} or the environment's {@code DATABASE_URL}.
 * @param dataDirectory where the embedded database lives, created when missing; {@code null} means {@code ./data}.
 *                      From {@code general_settings.database_path}.
 * @param maxPoolSize   most connections the gateway's own pool opens; 0 or less means {@value #DEFAULT_POOL_SIZE}.
 *                      Not used with a JNDI DataSource, whose pool the container sizes.
 */
public record DatabaseSettings(String databaseUrl, Path dataDirectory, int maxPoolSize) {
    public static final int DEFAULT_POOL_SIZE = 5;
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");

    /**
     * @throws IllegalArgumentException when {@code databaseUrl} is given but malformed (see {@link DatabaseUrl#parse})
     */
    public DatabaseSettings {
        databaseUrl = databaseUrl == null || databaseUrl.isBlank() ? null : databaseUrl.strip();
        dataDirectory = dataDirectory == null ? DEFAULT_DATA_DIRECTORY : dataDirectory;
        maxPoolSize = maxPoolSize <= 0 ? DEFAULT_POOL_SIZE : maxPoolSize;
        if (databaseUrl != null) {
            DatabaseUrl.parse(databaseUrl);
        }
    }

    /** The embedded H2 database in {@code dataDirectory}. */
    public static DatabaseSettings embedded(Path dataDirectory) {
        return new DatabaseSettings(null, dataDirectory, 0);
    }

    /** The database at {@code databaseUrl}. */
    public static DatabaseSettings of(String databaseUrl) {
        return new DatabaseSettings(databaseUrl, null, 0);
    }

    /** The parsed {@link #databaseUrl}, or the embedded database's. */
    public DatabaseUrl url() {
        if (databaseUrl != null) {
            return DatabaseUrl.parse(databaseUrl);
        }
        Path file = dataDirectory.toAbsolutePath().normalize().resolve(Database.EMBEDDED_FILE_NAME);
        return DatabaseUrl.embeddedH2(file.toString());
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "DatabaseSettings[" + (databaseUrl == null ? "embedded H2 in " + dataDirectory : url().redacted())
                + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
