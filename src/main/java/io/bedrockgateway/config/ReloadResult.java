package io.bedrockgateway.config;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one {@link LiveConfig#reload()}. Immutable and thread-safe.
 *
 * @param status  what happened
 * @param message one line for logs and the admin endpoint: what changed, or why the file was refused (never a secret)
 * @param at      when the reload finished
 */
public record ReloadResult(Status status, String message, Instant at) {

    /** What a reload did. */
    public enum Status {
        /** The new config is live and the listeners have run. */
        APPLIED,
        /** The file has the content of the live config: nothing was done. */
        UNCHANGED,
        /** The file could not be read or loaded; the previous config stays live. */
        FAILED
    }

    public ReloadResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }

    /** Whether a new config went live. */
    public boolean applied() {
        return status == Status.APPLIED;
    }
}
