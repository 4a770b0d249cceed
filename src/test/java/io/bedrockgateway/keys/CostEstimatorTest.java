package io.bedrockgateway.keys;

import io.bedrockgateway.auth.GatewayPrincipal;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.PerDeployment;
import io.bedrockgateway.routing.TestDeployment;
import io.bedrockgateway.spend.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostEstimatorTest {
    private static final BigDecimal SEED = new BigDecimal("0.01");


    @Test
    void aRetriedCallTeachesTheDeploymentThatAnsweredIt() {
        CostEstimator estimator = new CostEstimator(d -> SEED);
        Governor governor = new Governor(Clock.systemUTC(), estimator, user -> Optional.empty(), user -> BigDecimal.ZERO);
        Deployment admitted = TestDeployment.of("primary/0", "primary");
        Deployment answered = TestDeployment.of("backup/0", "backup");
        GatewayPrincipal master = new GatewayPrincipal("master", null, true, "bearer", null);
        Admission admission = governor.admit(master, null, admitted, null);

        governor.settle(admission, answered, new BigDecimal("1.01"), Usage.NONE);

        assertEquals(0, SEED.compareTo(estimator.estimate(admitted)), "the admitted deployment learned nothing");
        assertEquals(0, new BigDecimal("0.21").compareTo(estimator.estimate(answered)),
                "0.8 × seed + 0.2 × actual, on the deployment that answered");
    }

    @Test
    void passThroughIdsAreBoundedAndAliasedDeploymentsAlwaysLearn() {
        CostEstimator estimator = new CostEstimator(d -> SEED);
        for (int i = 0; i < PerDeployment.MAX_UNALIASED; i++) {
            estimator.observe(TestDeployment.of("passthrough/model-" + i, null), BigDecimal.ONE);
        }
        Deployment late = TestDeployment.of("passthrough/late", null);
        estimator.observe(late, BigDecimal.ONE);
        assertEquals(0, SEED.compareTo(estimator.estimate(late)), "past the bound a client-chosen id is not kept");
        assertTrue(estimator.estimate(TestDeployment.of("passthrough/model-0", null)).compareTo(SEED) > 0);

        Deployment configured = TestDeployment.of("claude/0", "claude");
        estimator.observe(configured, BigDecimal.ONE);
        assertTrue(estimator.estimate(configured).compareTo(SEED) > 0, "model_list deployments always learn");
    }
}
