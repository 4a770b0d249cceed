package io.bedrockgateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How keys are stored: SHA-256, hex; and how they are shown: masked. Stateless and thread-safe. */
public final class KeyHashing {
    private KeyHashing() {
    }

    public static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** {@code sk-...abcd}: enough to recognise a key, never enough to use it. */
    public static String maskedName(String key) {
        return key.length() <= 8 ? "sk-..." : key.substring(0, 3) + "..." + key.substring(key.length() - 4);
    }
}
