package io.bedrockgateway.spend;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The cost of one call. Immutable and thread-safe.
 *
 * @param usage        the tokens priced
 * @param cost         USD, exact, scale at least {@link #MIN_SCALE}; zero when the price is unknown
 * @param priceUnknown the call used tokens but no price was known for its model (neither the deployment's
 *                     {@code model_info} nor the table): {@code cost} is 0 but the call was not free
 * @param price        the flat price applied (the long-context tier, if one applied), or {@code null} when none
 */
public record PricedUsage(Usage usage, BigDecimal cost, boolean priceUnknown, ModelPrice price) {
    /** Costs carry at least this many decimal places (a Nova Micro token is 3.5E-8 USD). */
    public static final int MIN_SCALE = 10;

    public PricedUsage {
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(cost, "cost");
        if (cost.scale() < MIN_SCALE) {
            cost = cost.setScale(MIN_SCALE);
        }
    }

    /** Tokens nobody could price: cost 0, flagged unless there were no tokens at all. */
    static PricedUsage unknown(Usage usage) {
        return new PricedUsage(usage, BigDecimal.ZERO, !usage.isEmpty(), null);
    }
}
