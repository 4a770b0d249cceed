package io.bedrockgateway.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of keys, spend and budgets, from {@code general_settings}. Immutable and thread-safe.
 *
 * @param databaseUrl        {@code database_url} or env {@code DATABASE_URL} ({@code postgresql://...} or a JDBC
 *                           URL), or {@code null} for the embedded H2 database
 * @param dataDirectory      {@code database_path}: where the embedded H2 database lives (default {@code ./data})
 * @param spendFlushInterval {@code proxy_batch_write_at} (seconds, LiteLLM's name): how often spend is written
 * @param maxEndUserBudget   {@code max_end_user_budget}: USD cap for every end user, or {@code null}
 * @param endUserBudgets     {@code end_user_budgets}: USD caps for named end users, overriding the default
 */
public record GovernanceSettings(String databaseUrl, Path dataDirectory, Duration spendFlushInterval,
                                 BigDecimal maxEndUserBudget, Map<String, BigDecimal> endUserBudgets) {
    public static final GovernanceSettings DEFAULTS =
            new GovernanceSettings(null, Path.of("data"), Duration.ofSeconds(1), null, Map.of());

    public GovernanceSettings {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(spendFlushInterval, "spendFlushInterval");
        endUserBudgets = endUserBudgets == null ? Map.of() : Map.copyOf(endUserBudgets);
    }

    /** The budget of {@code endUser}: its own, else the default, else none. */
    public Optional<BigDecimal> endUserBudget(String endUser) {
        BigDecimal own = endUserBudgets.get(endUser);
        return Optional.ofNullable(own != null ? own : maxEndUserBudget);
    }

    @Override
    public String toString() {
        return "GovernanceSettings[database=" + (databaseUrl == null ? "h2:" + dataDirectory : "external")
                + ", spendFlushInterval=" + spendFlushInterval + ", maxEndUserBudget=" + maxEndUserBudget + "]";
    }
}
