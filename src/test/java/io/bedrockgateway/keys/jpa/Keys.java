package io.bedrockgateway.keys.jpa;

import io.bedrockgateway.keys.VirtualKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test keys. */
public final class Keys {
    public static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456Z");

    private Keys() {
    }

    /** A key with every field set. */
    public static VirtualKey full(String hash, String alias) {
        return new VirtualKey(hash, "sk-...a1b2", alias, List.of("claude-sonnet", "cohere.command-r-v1:0"),
                new BigDecimal("100.5"), "30d", Instant.parse("2025-03-31T00:00:00Z"), new BigDecimal("80"),
                600L, 100_000L, 4, Instant.parse("2026-01-01T00:00:00Z"), "user-1", "team-1",
                Map.of("owner", "platform", "tags", List.of("a", "b"), "nested", Map.of("n", 1)), false,
                BigDecimal.ZERO, T0, T0);
    }

    /** A key with only the hash and the given owners. */
    public static VirtualKey minimal(String hash, String userId, String teamId, Instant createdAt) {
        return new VirtualKey(hash, null, null, null, null, null, null, null, null, null, null, null, userId, teamId,
                null, false, null, createdAt, createdAt);
    }

    /** {@code key} with a budget period. */
    public static VirtualKey withBudget(VirtualKey key, String duration, Instant resetAt) {
        return new VirtualKey(key.tokenHash(), key.keyName(), key.keyAlias(), key.models(), key.maxBudget(), duration,
                resetAt, key.softBudget(), key.rpmLimit(), key.tpmLimit(), key.maxParallelRequests(), key.expiresAt(),
                key.userId(), key.teamId(), key.metadata(), key.blocked(), key.spend(), key.createdAt(),
                key.updatedAt());
    }

    public static String hash(int n) {
        return String.format("%064x", n);
    }
}
