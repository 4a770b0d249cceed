package io.bedrockgateway.keys;

import java.math.BigDecimal;

/**
 * What the governor reserved for one admitted call, to be settled exactly once when it ends. Immutable.
 *
 * @param tokenHash    the key's hash, or {@code null} for the master key (nothing reserved)
 * @param endUser      the end user, or {@code null}
 * @param reservation  USD reserved against the key's and the end user's budgets
 */
public record Admission(String tokenHash, String endUser, BigDecimal reservation) {
}
