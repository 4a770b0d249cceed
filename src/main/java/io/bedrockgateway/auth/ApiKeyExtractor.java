package io.bedrockgateway.auth;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/**
 * Finds the gateway key in a client request, in this order:
 * <ol>
 *   <li>{@code Authorization: Bearer <key>}: what the AWS SDKs send when {@code AWS_BEARER_TOKEN_BEDROCK} is set;</li>
 *   <li>{@code Authorization: AWS4-HMAC-SHA256 Credential=<key>/...}: clients that can only sign (the agent-runtime
 *       SDKs) put the key in the access-key-id position; their signature is not checked, since the key itself is
 *       the credential;</li>
 *   <li>{@code x-api-key}, {@code x-litellm-api-key}, {@code litellm_user_api_key}.</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class ApiKeyExtractor {
    private static final String[] KEY_HEADERS = {"x-api-key", "x-litellm-api-key", "litellm_user_api_key"};
    private static final String SIGV4_PREFIX = "AWS4-HMAC-SHA256";

    private ApiKeyExtractor() {
    }

    public static Optional<PresentedKey> extract(HttpServletRequest clientRequest) {
        String authorization = clientRequest.getHeader("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            Optional<PresentedKey> fromAuthorization = fromAuthorization(authorization.trim());
            if (fromAuthorization.isPresent()) {
                return fromAuthorization;
            }
        }
        for (String header : KEY_HEADERS) {
            String value = clientRequest.getHeader(header);
            if (value != null && !value.isBlank()) {
                return Optional.of(new PresentedKey(stripBearer(value.trim()), header, header));
            }
        }
        return Optional.empty();
    }

    static Optional<PresentedKey> fromAuthorization(String authorization) {
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(new PresentedKey(token, "bearer", "authorization"));
        }
        if (authorization.startsWith(SIGV4_PREFIX)) {
            int credential = authorization.indexOf("Credential=");
            if (credential < 0) {
                return Optional.empty();
            }
            int start = credential + "Credential=".length();
            int slash = authorization.indexOf('/', start);
            int end = slash < 0 ? endOfParameter(authorization, start) : slash;
            String key = authorization.substring(start, end).trim();
            return key.isEmpty() ? Optional.empty() : Optional.of(new PresentedKey(key, "sigv4", "authorization"));
        }
        return Optional.empty();
    }

    private static int endOfParameter(String value, int start) {
        int comma = value.indexOf(',', start);
        return comma < 0 ? value.length() : comma;
    }

    private static String stripBearer(String value) {
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value;
    }
}
