package io.bedrockgateway.spend;

import io.bedrockgateway.routing.Deployment;

import java.math.BigDecimal;

/** Prices usage for a deployment. Thread-safe; pure (no I/O): it runs at the end of every call. */
@FunctionalInterface
public interface CostCalculator {

    /**
     * @param modelId the model id to price (the deployment's, or the one an agent's trace named)
     */
    Cost cost(Deployment deployment, String modelId, Usage usage);

    /**
     * @param usd          exact cost in USD
     * @param priceUnknown no price was known: {@code usd} is 0, and the call must not be mistaken for free
     */
    record Cost(BigDecimal usd, boolean priceUnknown) {
    }
}
