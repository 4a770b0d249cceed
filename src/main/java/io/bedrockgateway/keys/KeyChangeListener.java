package io.bedrockgateway.keys;

/**
 * Told after the admin API has changed, blocked, regenerated or deleted a key, so that the request path can drop
 * its cached copy at once on this instance (other instances catch up through
 * {@link KeyRepository#changedSince}). Also told about tokens that have just come into existence (generate,
 * regenerate), so that a cached "unknown key" answer cannot hide them.
 *
 * <p>Called on the container thread that served the admin call, after the repository write has returned.
 * Implementations must be thread-safe, quick and must not block; an exception is logged and otherwise ignored,
 * since the write has happened.
 */
@FunctionalInterface
public interface KeyChangeListener {
    /** A listener that does nothing. */
    KeyChangeListener NONE = tokenHash -> {
    };

    /** @param tokenHash the hex SHA-256 of the key that changed (for a regenerated key: the old and the new one) */
    void keyChanged(String tokenHash);
}
