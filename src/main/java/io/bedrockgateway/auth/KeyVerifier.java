package io.bedrockgateway.auth;

import java.util.Optional;

/**
 * Decides whether a presented key is a valid gateway key. Implementations must be thread-safe and fast: they run
 * on the container thread of every request, so anything slow (a database) sits behind a cache.
 */
public interface KeyVerifier {

    /** The principal for {@code key}, or empty when the key is unknown. */
    Optional<GatewayPrincipal> verify(PresentedKey key);
}
