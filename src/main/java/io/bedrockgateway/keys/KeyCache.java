package io.bedrockgateway.keys;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The request path's view of the virtual keys: every key is loaded at start, so a lookup is a map read. A miss
 * (a key created on another instance since the last refresh) costs one primary-key query, and unknown keys are
 * remembered briefly, so guessing keys cannot hammer the database.
 *
 * <p>{@link #refresh()} runs every couple of seconds on the spend thread: it picks up keys changed or removed
 * elsewhere ({@code changedSince}, which includes spend changes, and {@code removedSince}), so a key deleted or
 * blocked on another instance stops working here within a refresh or two, and other instances' spend is seen.
 *
 * <p>Thread-safe.
 */
public final class KeyCache implements KeyChangeListener {
    private static final Logger LOG = Logger.getLogger(KeyCache.class.getName());
    private static final long NEGATIVE_TTL_MILLIS = 2_000;
    private static final int LOAD_PAGE = 1_000;

    private final KeyRepository repository;
    private final Clock clock;
    private final Consumer<VirtualKey> onLoaded;
    private final Map<String, VirtualKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Long> unknownUntil = new ConcurrentHashMap<>();
    private volatile Instant lastRefresh = Instant.EPOCH;

    /**
     * @param onLoaded sees every key version loaded from the database (the governor takes its stored spend)
     */
    public KeyCache(KeyRepository repository, Clock clock, Consumer<VirtualKey> onLoaded) {
        this.repository = repository;
        this.clock = clock;
        this.onLoaded = onLoaded;
    }

    /** Loads every key; call once at start, before serving. */
    public void loadAll() {
        Instant started = clock.instant();
        for (int offset = 0; ; offset += LOAD_PAGE) {
            List<VirtualKey> page = repository.list(null, null, null, offset, LOAD_PAGE);
            page.forEach(this::put);
            if (page.size() < LOAD_PAGE) {
                break;
            }
        }
        lastRefresh = started;
        LOG.info(() -> "loaded " + keys.size() + " virtual keys");
    }

    /** The key with this hash, or empty. May query the database on a miss (see the class comment). */
    public Optional<VirtualKey> find(String tokenHash) {
        long now = clock.millis();
        VirtualKey key = keys.get(tokenHash);
        if (key == null) {
            Long until = unknownUntil.get(tokenHash);
            if (until != null && until > now) {
                return Optional.empty();
            }
            key = repository.findByHash(tokenHash).orElse(null);
            if (key == null) {
                if (unknownUntil.size() > 100_000) {
                    unknownUntil.clear(); // bounded: a flood of guesses cannot grow it without limit
                }
                unknownUntil.put(tokenHash, now + NEGATIVE_TTL_MILLIS);
                return Optional.empty();
            }
            put(key);
        }
        return Optional.of(key);
    }

    /** Re-reads keys changed or removed since the last refresh; runs on one background thread. */
    public void refresh() {
        Instant started = clock.instant();
        // Windows overlap by a few seconds: the timestamps come from each writing instance's clock.
        Instant since = lastRefresh.minusSeconds(5);
        for (VirtualKey changed : repository.changedSince(since)) {
            put(changed);
        }
        for (String removed : repository.removedSince(since)) {
            keys.remove(removed);
        }
        unknownUntil.values().removeIf(until -> until < clock.millis());
        lastRefresh = started;
    }

    @Override
    public void keyChanged(String tokenHash) {
        reload(tokenHash);
    }

    private void reload(String tokenHash) {
        Optional<VirtualKey> current = repository.findByHash(tokenHash);
        if (current.isPresent()) {
            put(current.get());
        } else {
            keys.remove(tokenHash);
        }
    }

    private void put(VirtualKey key) {
        unknownUntil.remove(key.tokenHash());
        keys.put(key.tokenHash(), key);
        onLoaded.accept(key);
    }

    public int size() {
        return keys.size();
    }
}
