package io.bedrockgateway.admin;

import io.bedrockgateway.keys.BudgetDuration;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.VirtualKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KeyRepository} in memory, faithful to the interface's Javadoc, for tests. Thread-safe: every method holds
 * the instance lock. Constraint violations behave as a database's would: a taken hash or alias throws
 * {@link DuplicateKeyException} on insert, update and rehash.
 */
public final class InMemoryKeyRepository implements KeyRepository {
    private final Map<String, Stored> byHash = new LinkedHashMap<>();
    private long sequence;

    private record Stored(VirtualKey key, long sequence) {
    }

    @Override
    public synchronized Optional<VirtualKey> findByHash(String tokenHash) {
        return Optional.ofNullable(byHash.get(tokenHash)).map(Stored::key);
    }

    @Override
    public synchronized Optional<VirtualKey> findByAlias(String keyAlias) {
        return byHash.values().stream().map(Stored::key).filter(k -> keyAlias.equals(k.keyAlias())).findFirst();
    }

    @Override
    public synchronized void insert(VirtualKey key) {
        if (byHash.containsKey(key.tokenHash())) {
            throw new DuplicateKeyException("token exists");
        }
        requireAliasFree(key.keyAlias(), key.tokenHash());
        byHash.put(key.tokenHash(), new Stored(key, ++sequence));
    }

    @Override
    public synchronized boolean updateSettings(VirtualKey key) {
        Stored existing = byHash.get(key.tokenHash());
        if (existing == null) {
            return false;
        }
        requireAliasFree(key.keyAlias(), key.tokenHash());
        VirtualKey old = existing.key();
        byHash.put(key.tokenHash(), new Stored(copy(key, old.tokenHash(), old.keyName(), old.spend(),
                key.budgetResetAt(), old.createdAt()), existing.sequence()));
        return true;
    }

    @Override
    public synchronized boolean rehash(String oldTokenHash, String newTokenHash, String newKeyName) {
        Stored existing = byHash.get(oldTokenHash);
        if (existing == null) {
            return false;
        }
        if (byHash.containsKey(newTokenHash)) {
            throw new DuplicateKeyException("token exists");
        }
        byHash.remove(oldTokenHash);
        VirtualKey old = existing.key();
        byHash.put(newTokenHash, new Stored(copy(old, newTokenHash, newKeyName, old.spend(), old.budgetResetAt(),
                old.createdAt()), existing.sequence()));
        return true;
    }

    @Override
    public synchronized int delete(Collection<String> tokenHashes) {
        int deleted = 0;
        for (String hash : tokenHashes) {
            if (byHash.remove(hash) != null) {
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public synchronized List<VirtualKey> list(String userId, String teamId, String keyAlias, int offset, int limit) {
        List<Stored> matching = new ArrayList<>();
        for (Stored stored : byHash.values()) {
            if (matches(stored.key(), userId, teamId, keyAlias)) {
                matching.add(stored);
            }
        }
        matching.sort(Comparator.comparing((Stored s) -> s.key().createdAt()).thenComparingLong(Stored::sequence)
                .reversed());
        return matching.stream().skip(offset).limit(limit).map(Stored::key).toList();
    }

    @Override
    public synchronized long count(String userId, String teamId, String keyAlias) {
        return byHash.values().stream().filter(s -> matches(s.key(), userId, teamId, keyAlias)).count();
    }

    @Override
    public synchronized void addSpend(Map<String, BigDecimal> deltasByTokenHash) {
        deltasByTokenHash.forEach((hash, delta) -> {
            Stored stored = byHash.get(hash);
            if (stored != null) {
                VirtualKey k = stored.key();
                byHash.put(hash, new Stored(copy(k, k.tokenHash(), k.keyName(), k.spend().add(delta),
                        k.budgetResetAt(), k.createdAt()), stored.sequence()));
            }
        });
    }

    @Override
    public synchronized int resetDueBudgets(Instant now) {
        int reset = 0;
        for (Map.Entry<String, Stored> entry : byHash.entrySet()) {
            VirtualKey k = entry.getValue().key();
            if (k.budgetResetAt() != null && k.budgetDuration() != null && !k.budgetResetAt().isAfter(now)) {
                entry.setValue(new Stored(copy(k, k.tokenHash(), k.keyName(), BigDecimal.ZERO,
                        BudgetDuration.nextReset(now, k.budgetDuration()), k.createdAt()), entry.getValue().sequence()));
                reset++;
            }
        }
        return reset;
    }

    @Override
    public synchronized List<VirtualKey> changedSince(Instant since) {
        return byHash.values().stream().map(Stored::key).filter(k -> k.updatedAt().isAfter(since)).toList();
    }

    private void requireAliasFree(String alias, String ownHash) {
        if (alias != null && byHash.values().stream()
                .anyMatch(s -> alias.equals(s.key().keyAlias()) && !s.key().tokenHash().equals(ownHash))) {
            throw new DuplicateKeyException("alias exists");
        }
    }

    private static boolean matches(VirtualKey k, String userId, String teamId, String keyAlias) {
        return (userId == null || userId.equals(k.userId())) && (teamId == null || teamId.equals(k.teamId()))
                && (keyAlias == null || keyAlias.equals(k.keyAlias()));
    }

    private static VirtualKey copy(VirtualKey k, String hash, String name, BigDecimal spend, Instant resetAt,
                                   Instant createdAt) {
        return new VirtualKey(hash, name, k.keyAlias(), k.models(), k.maxBudget(), k.budgetDuration(), resetAt,
                k.softBudget(), k.rpmLimit(), k.tpmLimit(), k.maxParallelRequests(), k.expiresAt(), k.userId(),
                k.teamId(), k.metadata(), k.blocked(), Objects.requireNonNull(spend), createdAt, k.updatedAt());
    }
}
