package io.bedrockgateway.routing;

import java.util.List;

/**
 * Picks one deployment among the healthy candidates of an alias. Implementations are thread-safe and cheap: they
 * run on the request thread for every call.
 */
public interface RoutingStrategy {

    /**
     * @param candidates non-empty list of deployments for one alias
     * @return one of {@code candidates}
     */
    Deployment select(List<Deployment> candidates);

    /** Like {@link #select(List)}; strategies that treat streams differently (time to first byte) override it. */
    default Deployment select(List<Deployment> candidates, boolean streaming) {
        return select(candidates);
    }

    /**
     * The strategy named by {@code router_settings.routing_strategy} (LiteLLM's names).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    static RoutingStrategy named(String name, DeploymentHealth health, java.time.Clock clock) {
        return switch (name == null ? "simple-shuffle" : name) {
            case "simple-shuffle" -> new SimpleShuffleStrategy();
            case "least-busy" -> new LeastBusyStrategy(health);
            case "latency-based-routing" -> new LatencyBasedStrategy(health);
            case "usage-based-routing", "usage-based-routing-v2" -> new UsageBasedStrategy(health, clock);
            default -> throw new IllegalArgumentException("unknown routing_strategy '" + name
                    + "' (expected simple-shuffle, least-busy, latency-based-routing or usage-based-routing)");
        };
    }
}
