package io.bedrockgateway.admin;

/**
 * An admin-API error answered in LiteLLM's shape, {@code {"error": {"message", "type", "param", "code"}}}, where
 * {@code code} is the HTTP status as a string (as LiteLLM's {@code ProxyException} sends it) and {@code param} names
 * the offending request field or query parameter, or is {@code null}. The message goes to the client, so it must
 * never contain a secret. Immutable; carries no stack trace.
 */
final class AdminException extends RuntimeException {
    static final String AUTH_ERROR = "auth_error";
    static final String BAD_REQUEST = "bad_request_error";
    static final String NOT_FOUND = "not_found_error";
    static final String INTERNAL = "internal_server_error";

    private final int status;
    private final String type;
    private final String param;

    AdminException(int status, String type, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
    }

    static AdminException badRequest(String param, String message) {
        return new AdminException(400, BAD_REQUEST, param, message);
    }

    static AdminException notFound(String param, String message) {
        return new AdminException(404, NOT_FOUND, param, message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String param() {
        return param;
    }
}
