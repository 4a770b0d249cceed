package io.bedrockgateway.keys;

import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.PerDeployment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What a call is likely to cost before it runs, for budget reservations: a moving average of the actual costs seen
 * per deployment, seeded from its price. Pass-through ids are bounded as in {@link PerDeployment}. Thread-safe.
 */
public final class CostEstimator {
    private static final BigDecimal WEIGHT_NEW = new BigDecimal("0.2");
    private static final BigDecimal WEIGHT_OLD = BigDecimal.ONE.subtract(WEIGHT_NEW);

    private final PerDeployment<AtomicReference<BigDecimal>> averages;

    /** @param seed the first estimate for a deployment (e.g. its price for a typical call) */
    public CostEstimator(Function<Deployment, BigDecimal> seed) {
        this.averages = new PerDeployment<>(deployment -> new AtomicReference<>(seed.apply(deployment)));
    }

    public BigDecimal estimate(Deployment deployment) {
        return averages.get(deployment).get();
    }

    /** Learns from a settled call's actual cost, on the deployment that answered it. */
    public void observe(Deployment deployment, BigDecimal cost) {
        if (cost.signum() > 0) {
            averages.get(deployment).updateAndGet(old ->
                    old.multiply(WEIGHT_OLD).add(cost.multiply(WEIGHT_NEW), MathContext.DECIMAL64));
        }
    }
}
