package io.bedrockgateway.admin;

import io.bedrockgateway.keys.BudgetDuration;

import java.time.Instant;

/**
 * The one place where the admin API computes {@code budget_reset_at}. The rule belongs to the persistence layer
 * ({@code keys.BudgetDuration.nextReset(Instant, String)}, which also drives {@code KeyRepository.resetDueBudgets}),
 * so that a key's first reset and its later ones follow the same calendar. Stateless and thread-safe.
 */
final class BudgetResets {
    private BudgetResets() {
    }

    /** When a budget with period {@code budgetDuration} (already validated) first resets, counted from {@code from}. */
    static Instant nextReset(Instant from, String budgetDuration) {
        return BudgetDuration.nextReset(from, budgetDuration);
    }
}
