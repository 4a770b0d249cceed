package io.bedrockgateway.keys;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistent store of virtual keys. Implementations are thread-safe and block (database I/O): callers on the
 * request path go through a cache, and writes run on the gateway's database executor, never on a container or
 * reactor thread.
 */
public interface KeyRepository {

    Optional<VirtualKey> findByHash(String tokenHash);

    Optional<VirtualKey> findByAlias(String keyAlias);

    /** @throws DuplicateKeyException when the hash or the alias exists already */
    void insert(VirtualKey key);

    /** Replaces the settings of the key with {@code key.tokenHash()}; spend is left alone. @return whether it existed */
    boolean updateSettings(VirtualKey key);

    /** Moves a key to a new secret (regenerate): same settings and spend, new hash and name. */
    boolean rehash(String oldTokenHash, String newTokenHash, String newKeyName);

    /** @return how many of the keys existed and were deleted */
    int delete(Collection<String> tokenHashes);

    /** Keys ordered by creation time, newest first; filters are ignored when {@code null}. */
    List<VirtualKey> list(String userId, String teamId, String keyAlias, int offset, int limit);

    long count(String userId, String teamId, String keyAlias);

    /**
     * Adds each delta to the key's spend with one atomic {@code spend = spend + ?} update per key, so several
     * gateway instances can share one database.
     */
    void addSpend(Map<String, BigDecimal> deltasByTokenHash);

    /**
     * Resets the spend of keys whose {@code budgetResetAt} is not after {@code now}, moving their reset time to the
     * next period. @return how many keys were reset
     */
    int resetDueBudgets(Instant now);

    /** Keys changed since {@code since} (updatedAt), for cache invalidation across instances. */
    List<VirtualKey> changedSince(Instant since);

    /**
     * Hashes deleted, or regenerated away by {@link #rehash}, since {@code since}: what {@link #changedSince} cannot
     * report, so that other instances evict revoked keys from their caches. Kept for at least a day.
     */
    default List<String> removedSince(Instant since) {
        return List.of();
    }

    /** The hash or alias exists already. */
    final class DuplicateKeyException extends RuntimeException {
        public DuplicateKeyException(String message) {
            super(message);
        }
    }
}
