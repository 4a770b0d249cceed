package io.bedrockgateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a key's UTF-8 bytes, on the request path of every call. Each digest is a clone of one prototype: the
 * provider lookup of {@code MessageDigest.getInstance} cost more than the hash of a key. Thread-safe.
 */
public final class Sha256 {
    private static final MessageDigest PROTOTYPE = prototype();

    private Sha256() {
    }

    /** The 32-byte digest of {@code value}'s UTF-8 bytes. */
    public static byte[] of(String value) {
        return fresh().digest(value.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest fresh() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return prototype(); // a provider whose digests cannot be cloned: look one up each time
        }
    }

    private static MessageDigest prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
