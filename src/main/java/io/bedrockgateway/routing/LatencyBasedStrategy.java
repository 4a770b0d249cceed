package io.bedrockgateway.routing;

import java.util.List;

/**
 * LiteLLM's {@code latency-based-routing}: the deployment with the lowest recent latency, or, for streaming calls,
 * the lowest recent time to first byte. Deployments not measured yet score 0, so each gets tried. Thread-safe.
 */
public final class LatencyBasedStrategy implements RoutingStrategy {
    private final DeploymentHealth health;

    public LatencyBasedStrategy(DeploymentHealth health) {
        this.health = health;
    }

    @Override
    public Deployment select(List<Deployment> candidates) {
        return select(candidates, false);
    }

    @Override
    public Deployment select(List<Deployment> candidates, boolean streaming) {
        return Lowest.pick(candidates, deployment -> {
            DeploymentStats stats = health.of(deployment);
            return Math.max(0, streaming && stats.ttfbMicros() >= 0 ? stats.ttfbMicros() : stats.latencyMicros());
        });
    }
}
