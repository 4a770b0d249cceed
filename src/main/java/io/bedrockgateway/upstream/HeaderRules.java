package io.bedrockgateway.upstream;

import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the gateway. Request headers are forwarded unless they are transport-level, carry a
 * credential, or belong to the gateway; response headers are relayed unless they are hop-by-hop. Stateless and
 * thread-safe.
 *
 * <p>Never forwarded upstream: hop-by-hop headers (RFC 9110 section 7.6.1) and any header named in
 * {@code Connection}; {@code Host} and {@code Content-Length} (set for the upstream leg); {@code Authorization} and
 * every header that can carry a gateway key; all {@code x-amz-*} headers (the client's own SigV4 material:
 * {@code X-Amz-Date}, {@code X-Amz-Security-Token}, {@code X-Amz-Content-Sha256}, ...); forwarding headers;
 * cookies; {@code Accept-Encoding} (so upstream answers uncompressed and usage can be read on the way through).
 * Bedrock's functional headers ({@code X-Amzn-Bedrock-*}, {@code Accept}, {@code Content-Type}, ...) pass.
 */
public final class HeaderRules {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
            "trailer", "trailers", "transfer-encoding", "upgrade", "http2-settings");

    private static final Set<String> NEVER_UPSTREAM = Set.of(
            "host", "content-length", "expect", "authorization", "x-api-key", "api-key", "x-litellm-api-key",
            "litellm_user_api_key", "litellm-user-api-key", "forwarded", "via", "x-real-ip", "true-client-ip",
            "cookie", "cookie2", "accept-encoding", "x-end-user-id");

    private static final Set<String> NEVER_DOWNSTREAM = Set.of("content-length", "set-cookie", "server");

    private HeaderRules() {
    }

    /** Lower-cased header names listed in a {@code Connection} header value. */
    public static Set<String> connectionTokens(java.util.Enumeration<String> connectionValues) {
        return connectionValues == null ? Set.of() : connectionTokens(java.util.Collections.list(connectionValues));
    }

    /** Lower-cased header names listed in {@code Connection} header values. */
    public static Set<String> connectionTokens(Iterable<String> connectionValues) {
        java.util.HashSet<String> tokens = new java.util.HashSet<>();
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String trimmed = token.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }

    /**
     * @param lowerName        lower-cased header name
     * @param connectionTokens names listed in the client's {@code Connection} header
     */
    public static boolean forwardUpstream(String lowerName, Set<String> connectionTokens) {
        return !HOP_BY_HOP.contains(lowerName)
                && !NEVER_UPSTREAM.contains(lowerName)
                && !connectionTokens.contains(lowerName)
                && !lowerName.startsWith("x-amz-")
                && !lowerName.startsWith("x-forwarded-")
                && !lowerName.startsWith("x-litellm-")
                && !lowerName.startsWith("proxy-");
    }

    /**
     * Whether an upstream response header goes to the client. {@code Content-Length} is handled separately: it is
     * relayed as the content length only for non-streamed bodies.
     */
    public static boolean relayDownstream(String lowerName, Set<String> connectionTokens) {
        return !HOP_BY_HOP.contains(lowerName)
                && !NEVER_DOWNSTREAM.contains(lowerName)
                && !connectionTokens.contains(lowerName);
    }
}
