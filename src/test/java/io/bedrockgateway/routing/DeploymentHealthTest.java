package io.bedrockgateway.routing;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class DeploymentHealthTest {

    @Test
    void passThroughIdsAreTrackedUpToTheBoundAndConfiguredDeploymentsAlways() {
        DeploymentHealth health = new DeploymentHealth();
        Deployment early = TestDeployment.of("passthrough/early", null);
        DeploymentStats earlyStats = health.of(early);
        for (int i = 1; i < PerDeployment.MAX_UNALIASED; i++) {
            health.of(TestDeployment.of("passthrough/model-" + i, null));
        }
        Deployment late = TestDeployment.of("passthrough/late", null);
        assertNotSame(health.of(late), health.of(late), "past the bound, a client-chosen id is not kept");
        assertSame(earlyStats, health.of(early), "ids tracked before the bound stay tracked");

        Deployment configured = TestDeployment.of("claude-us-east-1", "claude");
        assertSame(health.of(configured), health.of(configured), "model_list deployments are always tracked");
    }
}
