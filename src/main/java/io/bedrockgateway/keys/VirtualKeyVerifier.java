package io.bedrockgateway.keys;

import io.bedrockgateway.auth.GatewayPrincipal;
import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.auth.PresentedKey;

import java.util.Optional;

/**
 * Accepts the virtual keys of the {@link KeyCache}: the presented key is hashed and looked up; only the hash is
 * ever stored. Whether the key may make this call (blocked, expired, budget, ...) is the governor's decision.
 * Thread-safe.
 */
public final class VirtualKeyVerifier implements KeyVerifier {
    private final KeyCache cache;

    public VirtualKeyVerifier(KeyCache cache) {
        this.cache = cache;
    }

    @Override
    public Optional<GatewayPrincipal> verify(PresentedKey presented) {
        return cache.find(KeyHashing.sha256Hex(presented.value())).map(key -> new GatewayPrincipal(
                key.tokenHash().substring(0, 12), key.keyAlias(), false, presented.source(), key));
    }
}
