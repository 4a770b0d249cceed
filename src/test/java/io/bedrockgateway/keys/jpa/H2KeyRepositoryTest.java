package io.bedrockgateway.keys.jpa;

/** {@link KeyRepositoryContract} on the embedded H2 database, the gateway's default. */
class H2KeyRepositoryTest extends KeyRepositoryContract {
    @Override
    TestDb createTestDb() {
        return TestDb.h2();
    }
}
