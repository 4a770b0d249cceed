package io.bedrockgateway.keys;

import io.bedrockgateway.auth.Sha256;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one definition of how virtual keys are made, hashed and shown. A key is stored only as the lower-case hex
 * SHA-256 of its UTF-8 bytes (the {@code token}, LiteLLM's name for it); the secret itself is shown once, when it is
 * generated. Stateless and thread-safe.
 */
public final class KeyHashing {
    /** Prefix of every virtual key, as in LiteLLM. */
    public static final String KEY_PREFIX = "sk-";
    private static final Pattern TOKEN_HASH = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_BYTES = 32;

    private KeyHashing() {
    }

    /** Lower-case hex SHA-256 of {@code key}: the stored token and primary key. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(Sha256.of(key));
    }

    /** A display form that does not reveal the key: {@code sk-...} and its last four characters. */
    public static String maskedName(String key) {
        String tail = key.length() <= 4 ? key : key.substring(key.length() - 4);
        return KEY_PREFIX + "..." + tail;
    }

    /** A new key: {@code sk-} and 43 URL-safe characters (256 random bits from {@link SecureRandom}). */
    public static String generateKey() {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Whether {@code value} has the form of a stored token (64 lower-case hex digits), not of a key. */
    public static boolean isTokenHash(String value) {
        return value != null && TOKEN_HASH.matcher(value).matches();
    }

    /**
     * The token for a value that is either a key or already a token, as LiteLLM's admin routes accept both: a
     * 64-hex-digit value is taken as the token (keys start with {@code sk-}, so they never look like one).
     */
    public static String tokenOf(String keyOrToken) {
        return isTokenHash(keyOrToken) ? keyOrToken : sha256Hex(keyOrToken);
    }
}
