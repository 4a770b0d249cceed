package io.bedrockgateway.keys;

/** Told when a key's settings, secret or existence changed through this instance's admin API. Thread-safe. */
@FunctionalInterface
public interface KeyChangeListener {
    void keyChanged(String tokenHash);
}
