package io.bedrockgateway.routing;

/**
 * The {@link DeploymentStats} of every deployment that has been called. Pass-through ids are bounded (see
 * {@link PerDeployment}); one past the bound loses nothing, as it is the only deployment of its route: no strategy
 * compares it and it never cools down. Thread-safe.
 */
public final class DeploymentHealth {
    private final PerDeployment<DeploymentStats> stats = new PerDeployment<>(deployment -> new DeploymentStats());

    public DeploymentStats of(Deployment deployment) {
        return stats.get(deployment);
    }
}
