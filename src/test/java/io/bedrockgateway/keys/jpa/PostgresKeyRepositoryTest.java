package io.bedrockgateway.keys.jpa;

/**
 * {@link KeyRepositoryContract} on the local PostgreSQL, in a schema of its own, opened through a LiteLLM-style
 * {@code postgresql://} URL. Skipped when PostgreSQL cannot be reached.
 */
class PostgresKeyRepositoryTest extends KeyRepositoryContract {
    @Override
    TestDb createTestDb() {
        return TestDb.postgres(true);
    }
}
