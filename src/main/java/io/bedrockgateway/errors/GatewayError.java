package io.bedrockgateway.errors;

/**
 * Every error the gateway itself produces, with the HTTP status and the AWS error type that makes the AWS SDKs
 * raise the matching typed exception. Upstream errors never go through this enum: they are relayed verbatim.
 *
 * <p>Immutable and thread-safe.
 */
public enum GatewayError {
    /** No gateway key at all. */
    MISSING_KEY(401, "AccessDeniedException", "auth", false),
    /** Unknown, wrong, blocked or expired key; model not allowed; budget spent. Not retryable by SDKs. */
    ACCESS_DENIED(403, "AccessDeniedException", "auth", false),
    /** Malformed client input. */
    VALIDATION(400, "ValidationException", "client", false),
    /** Request body over the configured cap. */
    PAYLOAD_TOO_LARGE(413, "ValidationException", "client", false),
    /** A path that maps to no Bedrock data-plane API. */
    UNKNOWN_OPERATION(404, "UnknownOperationException", "client", false),
    /** A model alias or id the gateway will not route. */
    RESOURCE_NOT_FOUND(404, "ResourceNotFoundException", "client", false),
    /** Gateway-side rate limits. */
    THROTTLING(429, "ThrottlingException", "limit", true),
    /** No deployment could be reached (connect failure, all cooling down). */
    SERVICE_UNAVAILABLE(503, "ServiceUnavailableException", "upstream", true),
    /** The upstream connection failed in a way other than a connect refusal. */
    BAD_GATEWAY(502, "ServiceUnavailableException", "upstream", true),
    /** No response head from upstream within the head timeout. */
    UPSTREAM_TIMEOUT(504, "ModelTimeoutException", "upstream", true),
    /** A bug or an unexpected state inside the gateway. */
    INTERNAL(500, "InternalServerException", "gateway", false);

    private final int status;
    private final String awsType;
    private final String category;
    private final boolean retryable;

    GatewayError(int status, String awsType, String category, boolean retryable) {
        this.status = status;
        this.awsType = awsType;
        this.category = category;
        this.retryable = retryable;
    }

    /** HTTP status sent to the client. */
    public int status() {
        return status;
    }

    /** Value of {@code x-amzn-ErrorType}, e.g. {@code AccessDeniedException}. */
    public String awsType() {
        return awsType;
    }

    /** Metrics category: auth, client, limit, upstream or gateway. */
    public String category() {
        return category;
    }

    /** Whether another deployment may be tried (only while no response byte has gone out). */
    public boolean retryable() {
        return retryable;
    }

    /** Convenience: an exception carrying this error and a client-facing message. */
    public GatewayException exception(String message) {
        return new GatewayException(this, message);
    }
}
