package io.bedrockgateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link DeploymentStats} of every deployment that has been called, by deployment id. Thread-safe. */
public final class DeploymentHealth {
    private final Map<String, DeploymentStats> stats = new ConcurrentHashMap<>();

    public DeploymentStats of(Deployment deployment) {
        return stats.computeIfAbsent(deployment.id(), id -> new DeploymentStats());
    }

    /** A snapshot view for reporting. */
    public Map<String, DeploymentStats> all() {
        return Map.copyOf(stats);
    }
}
