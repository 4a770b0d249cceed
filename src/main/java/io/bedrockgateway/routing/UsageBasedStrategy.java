package io.bedrockgateway.routing;

import java.time.Clock;
import java.util.List;

/**
 * LiteLLM's {@code usage-based-routing}: the deployment with the most headroom against its provisioned
 * {@code rpm} and {@code tpm} in the current minute, as a fraction of its limits; a deployment without limits
 * counts as using none of them. Thread-safe.
 */
public final class UsageBasedStrategy implements RoutingStrategy {
    private static final long SCALE = 1_000_000;
    private final DeploymentHealth health;
    private final Clock clock;

    public UsageBasedStrategy(DeploymentHealth health, Clock clock) {
        this.health = health;
        this.clock = clock;
    }

    @Override
    public Deployment select(List<Deployment> candidates) {
        long now = clock.millis();
        return Lowest.pick(candidates, deployment -> {
            DeploymentStats stats = health.of(deployment);
            long rpmUse = deployment.rpm() > 0 ? stats.requestsThisMinute(now) * SCALE / deployment.rpm() : 0;
            long tpmUse = deployment.tpm() > 0 ? stats.tokensThisMinute(now) * SCALE / deployment.tpm() : 0;
            return Math.max(rpmUse, tpmUse);
        });
    }
}
