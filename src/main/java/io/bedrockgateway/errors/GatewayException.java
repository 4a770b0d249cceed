package io.bedrockgateway.errors;

/**
 * A gateway error with a client-facing message. Thrown by filters and routing code, turned into an AWS-shaped
 * response by {@link AwsErrorWriter}. The message is sent to the client, so it must never contain secrets.
 */
public final class GatewayException extends RuntimeException {
    private final GatewayError error;
    private final long retryAfterSeconds;

    public GatewayException(GatewayError error, String message) {
        this(error, message, 0);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when positive */
    public GatewayException(GatewayError error, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public GatewayException(GatewayError error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
        this.retryAfterSeconds = 0;
    }

    /** Seconds the client should wait before trying again ({@code Retry-After}), or 0 for no such hint. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public GatewayError error() {
        return error;
    }
}
