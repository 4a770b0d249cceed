package io.bedrockgateway.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Accepts the master key, compared in constant time on SHA-256 digests. Immutable and thread-safe.
 */
public final class MasterKeyVerifier implements KeyVerifier {
    private final byte[] masterDigest;
    private final String keyId;

    public MasterKeyVerifier(String masterKey) {
        if (masterKey == null || masterKey.isBlank()) {
            throw new IllegalArgumentException("master key must not be blank");
        }
        this.masterDigest = Sha256.of(masterKey);
        this.keyId = "master:" + HexFormat.of().formatHex(masterDigest, 0, 4);
    }

    @Override
    public Optional<GatewayPrincipal> verify(PresentedKey key) {
        if (MessageDigest.isEqual(masterDigest, Sha256.of(key.value()))) {
            return Optional.of(new GatewayPrincipal(keyId, "master", true, key.source()));
        }
        return Optional.empty();
    }

    /** A fresh random master key ({@code sk-} and 43 URL-safe characters), for when none is configured. */
    public static String generate() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return "sk-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
