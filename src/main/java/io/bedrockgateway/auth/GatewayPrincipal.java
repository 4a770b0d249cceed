package io.bedrockgateway.auth;

import io.bedrockgateway.keys.VirtualKey;

import java.util.Objects;

/**
 * The authenticated caller of one request. Immutable and thread-safe.
 *
 * @param keyId     a stable, non-secret identifier of the key (a hash prefix), for logs and spend
 * @param keyAlias  a human name for the key, or {@code null}
 * @param master    whether this is the master key
 * @param keySource where the key was found ({@code bearer}, {@code x-api-key}, {@code sigv4}, ...)
 * @param virtualKey the stored key (a snapshot) for virtual keys, {@code null} for the master key
 */
public record GatewayPrincipal(String keyId, String keyAlias, boolean master, String keySource,
                               VirtualKey virtualKey) {
    public GatewayPrincipal {
        Objects.requireNonNull(keyId, "keyId");
    }

    /** A principal without a stored key (the master key). */
    public GatewayPrincipal(String keyId, String keyAlias, boolean master, String keySource) {
        this(keyId, keyAlias, master, keySource, null);
    }
}
