package io.bedrockgateway.keys;

import io.bedrockgateway.routing.Deployment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a call is likely to cost before it runs, for budget reservations: a moving average of the actual costs seen
 * per deployment, seeded from its price. Thread-safe.
 */
public final class CostEstimator {
    private static final BigDecimal WEIGHT_NEW = new BigDecimal("0.2");
    private static final BigDecimal WEIGHT_OLD = BigDecimal.ONE.subtract(WEIGHT_NEW);

    private final Function<Deployment, BigDecimal> seed;
    private final Map<String, BigDecimal> averages = new ConcurrentHashMap<>();

    /** @param seed the first estimate for a deployment (e.g. its price for a typical call) */
    public CostEstimator(Function<Deployment, BigDecimal> seed) {
        this.seed = seed;
    }

    public BigDecimal estimate(Deployment deployment) {
        return averages.computeIfAbsent(deployment.id(), id -> seed.apply(deployment));
    }

    /** Learns from a settled call's actual cost. */
    public void observe(String deploymentId, BigDecimal cost) {
        if (cost.signum() > 0) {
            averages.merge(deploymentId, cost, (old, actual) ->
                    old.multiply(WEIGHT_OLD).add(actual.multiply(WEIGHT_NEW), MathContext.DECIMAL64));
        }
    }
}
