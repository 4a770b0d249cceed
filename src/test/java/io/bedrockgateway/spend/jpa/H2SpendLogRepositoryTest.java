package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.TestDb;

/** {@link SpendLogRepositoryContract} on the embedded H2 database, the gateway's default. */
class H2SpendLogRepositoryTest extends SpendLogRepositoryContract {
    @Override
    TestDb createTestDb() {
        return TestDb.h2();
    }
}
