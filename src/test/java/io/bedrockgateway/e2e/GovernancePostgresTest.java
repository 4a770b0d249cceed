package io.bedrockgateway.e2e;

import io.bedrockgateway.keys.jpa.DatabaseSettings;
import io.bedrockgateway.keys.jpa.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The governance scenarios on the local PostgreSQL (127.0.0.1:5432, database {@code test}), in a fresh schema,
 * through LiteLLM's {@code postgresql://} URL form. Skipped, with the reason, where PostgreSQL cannot be started.
 */
class GovernancePostgresTest extends GovernanceScenarios {
    private static TestDb database;

    @BeforeAll
    static void start() throws Exception {
        database = TestDb.postgres(true);
        startWith("  database_url: \"" + database.settings().databaseUrl() + "\"");
    }

    @Override
    DatabaseSettings sharedDatabase() {
        return database.settings();
    }

    @AfterAll
    static void dropSchema() throws Exception {
        GovernanceScenarios.stop();
        fixture = null;
        if (database != null) {
            database.close();
        }
    }
}
