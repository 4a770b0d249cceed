package io.bedrockgateway.e2e;

import io.bedrockgateway.keys.jpa.DatabaseSettings;
import org.junit.jupiter.api.BeforeAll;

/** The governance scenarios on the embedded H2 database. */
class GovernanceH2Test extends GovernanceScenarios {
    @BeforeAll
    static void start() throws Exception {
        startWith("");
    }

    @Override
    DatabaseSettings sharedDatabase() {
        return DatabaseSettings.embedded(fixture.dataDirectory);
    }
}
