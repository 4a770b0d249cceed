package io.bedrockgateway.admin;

import java.time.Instant;

/**
 * The one place where the admin API computes {@code budget_reset_at}. The rule belongs to the persistence layer
 * ({@code keys.BudgetDuration.nextReset(Instant, String)}, which also drives {@code KeyRepository.resetDueBudgets}),
 * so that a key's first reset and its later ones follow the same calendar. Until that class is on this branch,
 * this uses the plain rule {@code from + duration} (months as calendar months in UTC); switching is a one-line
 * change here and nowhere else. Stateless and thread-safe.
 */
final class BudgetResets {
    private BudgetResets() {
    }

    /** When a budget with period {@code budgetDuration} (already validated) first resets, counted from {@code from}. */
    static Instant nextReset(Instant from, String budgetDuration) {
        // Replace with: return io.bedrockgateway.keys.BudgetDuration.nextReset(from, budgetDuration);
        return DurationSyntax.addTo(from, budgetDuration);
    }
}
