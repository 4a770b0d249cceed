package io.bedrockgateway.keys.jpa;

import java.util.Locale;

/**
 * The databases the gateway supports, and the little SQL that differs between them. The schema and almost every
 * statement are the same on both.
 */
public enum DatabaseVendor {
    H2("org.h2.Driver", "org.eclipse.persistence.platform.database.H2Platform") {
        @Override
        public String utcDay(String timestampColumn) {
            // CAST(ts AT TIME ZONE 'UTC' AS DATE) would convert to the session (JVM) time zone first in H2.
            return "FORMATDATETIME(" + timestampColumn + ", 'yyyy-MM-dd', 'en', 'UTC')";
        }

        @Override
        public String addToSpendUpsert(String table, String keyColumn) {
            // Not atomic against a concurrent insert of the same new key: callers retry on a unique violation.
            return "MERGE INTO " + table + " t USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS NUMERIC(20,10)),"
                    + " CAST(? AS TIMESTAMP WITH TIME ZONE))) s(k, delta, now) ON t." + keyColumn + " = s.k"
                    + " WHEN MATCHED THEN UPDATE SET spend = t.spend + s.delta, updated_at = s.now"
                    + " WHEN NOT MATCHED THEN INSERT (" + keyColumn + ", spend, updated_at)"
                    + " VALUES (s.k, s.delta, s.now)";
        }
    },
    POSTGRESQL("org.postgresql.Driver", "org.eclipse.persistence.platform.database.PostgreSQLPlatform") {
        @Override
        public String utcDay(String timestampColumn) {
            return "TO_CHAR(" + timestampColumn + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
        }

        @Override
        public String addToSpendUpsert(String table, String keyColumn) {
            // Atomic against concurrent inserts of the same new key by other gateway instances (MERGE is not).
            return "INSERT INTO " + table + " AS t (" + keyColumn + ", spend, updated_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (" + keyColumn + ") DO UPDATE SET spend = t.spend + EXCLUDED.spend,"
                    + " updated_at = EXCLUDED.updated_at";
        }
    };

    private final String driverClassName;
    private final String eclipseLinkPlatform;

    DatabaseVendor(String driverClassName, String eclipseLinkPlatform) {
        this.driverClassName = driverClassName;
        this.eclipseLinkPlatform = eclipseLinkPlatform;
    }

    public String driverClassName() {
        return driverClassName;
    }

    /** The value of {@code eclipselink.target-database}. */
    public String eclipseLinkPlatform() {
        return eclipseLinkPlatform;
    }

    /** An SQL expression for the UTC date of a {@code TIMESTAMP WITH TIME ZONE} column, as {@code yyyy-MM-dd}. */
    public abstract String utcDay(String timestampColumn);

    /**
     * A statement that adds to the {@code spend} of one row, inserting the row when it is missing (its
     * {@code created_at} takes the column default). Parameters: key, delta, now. On H2, two transactions inserting
     * the same new row make one fail with a unique violation (SQLSTATE 23505): retry that transaction.
     */
    public abstract String addToSpendUpsert(String table, String keyColumn);

    /**
     * The vendor for a JDBC {@code DatabaseMetaData.getDatabaseProductName()}.
     *
     * @throws IllegalStateException for any other database
     */
    static DatabaseVendor fromProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.startsWith("h2")) {
            return H2;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalStateException("database " + productName
                + " is not supported; bedrock-gateway runs on PostgreSQL or H2");
    }
}
