package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.TestDb;

/**
 * {@link SpendLogRepositoryContract} on the local PostgreSQL, in a schema of its own, opened through a
 * {@code jdbc:postgresql:} URL. Skipped when PostgreSQL cannot be reached.
 */
class PostgresSpendLogRepositoryTest extends SpendLogRepositoryContract {
    @Override
    TestDb createTestDb() {
        return TestDb.postgres(false);
    }
}
