package io.bedrockgateway.admin;

import io.bedrockgateway.keys.BudgetDuration;
import io.bedrockgateway.keys.VirtualKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated key request, made by {@link KeyRequestValidator}. Fields in {@link #present()} were in the request
 * (a {@code null} value there means "clear"); the others are left as they are on update. Immutable and thread-safe.
 *
 * @param key         generate: the caller-chosen key, or {@code null} to generate one; update and regenerate: the key
 *                    or token to act on, or {@code null} when it comes from the path or query
 * @param newKey      regenerate only: the caller-chosen new key, or {@code null} to generate one
 * @param present     the settings the request named
 * @param keyAlias    unique alias, or {@code null}
 * @param models      allowed models; empty means all
 * @param maxBudget   USD cap, or {@code null}
 * @param budgetDuration budget period, or {@code null}
 * @param softBudget  USD warning threshold, or {@code null}
 * @param rpmLimit    requests per minute, or {@code null}
 * @param tpmLimit    tokens per minute, or {@code null}
 * @param maxParallelRequests requests in flight, or {@code null}
 * @param duration    time to expiry from now, or {@code null} for never
 * @param userId      owner user, or {@code null}
 * @param teamId      owner team, or {@code null}
 * @param metadata    free-form object; empty when cleared
 * @param blocked     whether the key is blocked
 */
public record KeyCommand(String key, String newKey, Set<KeyField> present, String keyAlias, List<String> models,
                         BigDecimal maxBudget, String budgetDuration, BigDecimal softBudget, Long rpmLimit,
                         Long tpmLimit, Integer maxParallelRequests, String duration, String userId, String teamId,
                         Map<String, Object> metadata, boolean blocked) {
    public KeyCommand {
        present = present.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(present));
        models = models == null ? List.of() : List.copyOf(models);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public boolean has(KeyField field) {
        return present.contains(field);
    }

    /** Whether the request changes any setting (for regenerate, which may also update). */
    public boolean changesSettings() {
        return !present.isEmpty();
    }

    /** A new key with these settings, no spend, created {@code now}. */
    public VirtualKey create(String tokenHash, String keyName, Instant now) {
        Instant resetAt = budgetDuration == null ? null : BudgetDuration.nextReset(now, budgetDuration);
        Instant expiresAt = duration == null ? null : DurationSyntax.addTo(now, duration);
        return new VirtualKey(tokenHash, keyName, keyAlias, models, maxBudget, budgetDuration, resetAt, softBudget,
                rpmLimit, tpmLimit, maxParallelRequests, expiresAt, userId, teamId, metadata, blocked,
                BigDecimal.ZERO, now, now);
    }

    /**
     * {@code existing} with the settings this request names; spend, creation time, token and name unchanged. A new
     * {@code budget_duration} starts a new period from {@code now}; a {@code duration} counts from {@code now}.
     */
    public VirtualKey applyTo(VirtualKey existing, Instant now) {
        String newBudgetDuration = has(KeyField.BUDGET_DURATION) ? budgetDuration : existing.budgetDuration();
        Instant resetAt = existing.budgetResetAt();
        if (newBudgetDuration == null) {
            resetAt = null;
        } else if (!newBudgetDuration.equals(existing.budgetDuration()) || resetAt == null) {
            resetAt = BudgetDuration.nextReset(now, newBudgetDuration);
        }
        Instant expiresAt = existing.expiresAt();
        if (has(KeyField.DURATION)) {
            expiresAt = duration == null ? null : DurationSyntax.addTo(now, duration);
        }
        return new VirtualKey(existing.tokenHash(), existing.keyName(),
                pick(KeyField.KEY_ALIAS, keyAlias, existing.keyAlias()),
                pick(KeyField.MODELS, models, existing.models()),
                pick(KeyField.MAX_BUDGET, maxBudget, existing.maxBudget()),
                newBudgetDuration, resetAt,
                pick(KeyField.SOFT_BUDGET, softBudget, existing.softBudget()),
                pick(KeyField.RPM_LIMIT, rpmLimit, existing.rpmLimit()),
                pick(KeyField.TPM_LIMIT, tpmLimit, existing.tpmLimit()),
                pick(KeyField.MAX_PARALLEL_REQUESTS, maxParallelRequests, existing.maxParallelRequests()),
                expiresAt,
                pick(KeyField.USER_ID, userId, existing.userId()),
                pick(KeyField.TEAM_ID, teamId, existing.teamId()),
                pick(KeyField.METADATA, metadata, existing.metadata()),
                pick(KeyField.BLOCKED, blocked, existing.blocked()),
                existing.spend(), existing.createdAt(), now);
    }

    private <T> T pick(KeyField field, T requested, T existing) {
        return has(field) ? requested : existing;
    }

    @Override
    public String toString() {
        // Never show the keys themselves.
        return "KeyCommand[present=" + present + ", keyAlias=" + keyAlias + ", key=" + (key == null ? "-" : "***")
                + ", newKey=" + (newKey == null ? "-" : "***") + "]";
    }
}
