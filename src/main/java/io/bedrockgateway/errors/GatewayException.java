package io.bedrockgateway.errors;

/**
 * A gateway error with a client-facing message. Thrown by filters and routing code, turned into an AWS-shaped
 * response by {@link AwsErrorWriter}. The message is sent to the client, so it must never contain secrets.
 */
public final class GatewayException extends RuntimeException {
    private final GatewayError error;

    public GatewayException(GatewayError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public GatewayException(GatewayError error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
    }

    public GatewayError error() {
        return error;
    }
}
