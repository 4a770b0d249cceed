package io.bedrockgateway.routing;

import java.util.List;

/**
 * LiteLLM's {@code least-busy}: the deployment with the fewest calls in flight on this instance; ties are broken at
 * random, so an idle group still spreads. Thread-safe.
 */
public final class LeastBusyStrategy implements RoutingStrategy {
    private final DeploymentHealth health;

    public LeastBusyStrategy(DeploymentHealth health) {
        this.health = health;
    }

    @Override
    public Deployment select(List<Deployment> candidates) {
        return Lowest.pick(candidates, deployment -> health.of(deployment).inFlight());
    }
}
