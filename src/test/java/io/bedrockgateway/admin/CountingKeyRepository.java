package io.bedrockgateway.admin;

import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.keys.VirtualKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps any {@link KeyRepository} (in memory, H2, PostgreSQL) and counts the write calls made through it, so that
 * the API tests can assert "nothing written" whatever the backend. Thread-safe if the delegate is.
 */
final class CountingKeyRepository implements KeyRepository {
    private final KeyRepository delegate;
    private final AtomicInteger writes = new AtomicInteger();

    CountingKeyRepository(KeyRepository delegate) {
        this.delegate = delegate;
    }

    /** Write calls so far, successful or not. */
    int writes() {
        return writes.get();
    }

    /** Every stored key by token, newest first, read through the repository's own {@code list}. */
    Map<String, VirtualKey> snapshot() {
        Map<String, VirtualKey> all = new LinkedHashMap<>();
        delegate.list(null, null, null, 0, Integer.MAX_VALUE).forEach(k -> all.put(k.tokenHash(), k));
        return all;
    }

    @Override
    public Optional<VirtualKey> findByHash(String tokenHash) {
        return delegate.findByHash(tokenHash);
    }

    @Override
    public Optional<VirtualKey> findByAlias(String keyAlias) {
        return delegate.findByAlias(keyAlias);
    }

    @Override
    public void insert(VirtualKey key) {
        writes.incrementAndGet();
        delegate.insert(key);
    }

    @Override
    public boolean updateSettings(VirtualKey key) {
        writes.incrementAndGet();
        return delegate.updateSettings(key);
    }

    @Override
    public boolean rehash(String oldTokenHash, String newTokenHash, String newKeyName) {
        writes.incrementAndGet();
        return delegate.rehash(oldTokenHash, newTokenHash, newKeyName);
    }

    @Override
    public int delete(Collection<String> tokenHashes) {
        writes.incrementAndGet();
        return delegate.delete(tokenHashes);
    }

    @Override
    public List<VirtualKey> list(String userId, String teamId, String keyAlias, int offset, int limit) {
        return delegate.list(userId, teamId, keyAlias, offset, limit);
    }

    @Override
    public long count(String userId, String teamId, String keyAlias) {
        return delegate.count(userId, teamId, keyAlias);
    }

    @Override
    public void addSpend(Map<String, BigDecimal> deltasByTokenHash) {
        writes.incrementAndGet();
        delegate.addSpend(deltasByTokenHash);
    }

    @Override
    public int resetDueBudgets(Instant now) {
        writes.incrementAndGet();
        return delegate.resetDueBudgets(now);
    }

    @Override
    public List<VirtualKey> changedSince(Instant since) {
        return delegate.changedSince(since);
    }
}
