package io.bedrockgateway.keys;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A virtual key as stored: settings and accumulated spend, never the secret (only its SHA-256). Immutable and
 * thread-safe; the hot path works on snapshots of this.
 *
 * @param tokenHash           hex SHA-256 of the key; the primary key
 * @param keyName             a masked form for display, e.g. {@code sk-...a1b2}
 * @param keyAlias            a unique human name, or {@code null}
 * @param models              allowed aliases or raw model ids; empty means all
 * @param maxBudget           USD cap, or {@code null} for none
 * @param budgetDuration      {@code 30d}, {@code 1h}, ...: spend resets each period; {@code null} for never
 * @param budgetResetAt       when spend next resets, or {@code null}
 * @param softBudget          USD at which a warning is logged, or {@code null}
 * @param rpmLimit            requests per minute, or {@code null}
 * @param tpmLimit            tokens per minute, or {@code null}
 * @param maxParallelRequests requests in flight, or {@code null}
 * @param expiresAt           expiry, or {@code null}
 * @param userId              owner user, or {@code null}
 * @param teamId              owner team, or {@code null}
 * @param metadata            free-form JSON object
 * @param blocked             whether the key is blocked
 * @param spend               USD spent in the current budget period
 * @param createdAt           creation time
 * @param updatedAt           last settings change
 */
public record VirtualKey(String tokenHash, String keyName, String keyAlias, List<String> models,
                         BigDecimal maxBudget, String budgetDuration, Instant budgetResetAt, BigDecimal softBudget,
                         Long rpmLimit, Long tpmLimit, Integer maxParallelRequests, Instant expiresAt,
                         String userId, String teamId, Map<String, Object> metadata, boolean blocked,
                         BigDecimal spend, Instant createdAt, Instant updatedAt) {
    public VirtualKey {
        models = models == null ? List.of() : List.copyOf(models);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        spend = spend == null ? BigDecimal.ZERO : spend;
    }
}
