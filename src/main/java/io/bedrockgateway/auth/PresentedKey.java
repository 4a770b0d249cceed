package io.bedrockgateway.auth;

import java.util.Objects;

/**
 * A gateway key as the client presented it. Immutable; {@link #toString()} never shows the secret.
 *
 * @param value  the key itself
 * @param source where it was found: {@code bearer}, {@code sigv4}, {@code x-api-key}, {@code x-litellm-api-key},
 *               {@code litellm_user_api_key}
 * @param header the header that carried it (lower case), so that it is never forwarded
 */
public record PresentedKey(String value, String source, String header) {
    public PresentedKey {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(header, "header");
    }

    @Override
    public String toString() {
        return "PresentedKey[source=" + source + "]";
    }
}
