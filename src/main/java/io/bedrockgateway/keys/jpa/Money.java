package io.bedrockgateway.keys.jpa;

import java.math.BigDecimal;

/** USD amounts as stored: {@code NUMERIC(20,10)}. */
public final class Money {
    private Money() {
    }

    /**
     * {@code amount} without the trailing zeros that the column's scale adds ({@code 0.3000000000} becomes
     * {@code 0.3}), so that values compare equal with {@code equals} before and after a round trip; {@code null}
     * stays null.
     */
    public static BigDecimal normalize(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
