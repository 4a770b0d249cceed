package io.bedrockgateway.fake;

import java.util.Objects;

/**
 * An AWS-shaped error: HTTP status, the {@code x-amzn-ErrorType} value and the {@code message}. Immutable and
 * thread-safe.
 *
 * @param status  HTTP status
 * @param type    error type, e.g. {@code ThrottlingException}; written verbatim, so a Coral suffix
 *                ({@code ValidationException:http://internal.amazon.com/coral/...}) may be included
 * @param message human-readable message
 */
record AwsError(int status, String type, String message) {
    public AwsError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    static AwsError validation(String message) {
        return new AwsError(400, "ValidationException", message);
    }

    static AwsError invalidModel() {
        return validation("The provided model identifier is invalid.");
    }

    static AwsError malformedBody() {
        return validation("Malformed input request, please reformat your input and try again.");
    }

    static AwsError notFound(String message) {
        return new AwsError(404, "ResourceNotFoundException", message);
    }

    /** Thrown by route handlers to answer with an error instead of a body. */
    static final class Failure extends RuntimeException {
        private final AwsError error;

        Failure(AwsError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        AwsError error() {
            return error;
        }
    }

    Failure failure() {
        return new Failure(this);
    }
}
