package io.bedrockgateway.upstream;

import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps a failure of the upstream exchange before its response head to the error the client sees: a connect
 * failure is 503 {@code ServiceUnavailableException}, a response-head timeout 504, anything else 502. Messages
 * name the upstream host (not secret) and never carry request content. Stateless and thread-safe.
 */
public final class UpstreamFailures {
    private UpstreamFailures() {
    }

    public static GatewayException toGatewayException(Throwable failure, URI endpoint) {
        Throwable cause = unwrap(failure);
        String host = hostOf(endpoint);
        if (cause instanceof GatewayException gatewayException) {
            return gatewayException;
        }
        if (cause instanceof ConnectTimeoutException) {
            return new GatewayException(GatewayError.SERVICE_UNAVAILABLE,
                    "Timed out connecting to the upstream " + host, cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException) {
            return new GatewayException(GatewayError.SERVICE_UNAVAILABLE,
                    "Could not connect to the upstream " + host, cause);
        }
        if (cause instanceof ConnectionRequestTimeoutException) {
            return new GatewayException(GatewayError.SERVICE_UNAVAILABLE,
                    "No upstream connection available for " + host + " (pool exhausted)", cause);
        }
        if (cause instanceof SocketTimeoutException) {
            return new GatewayException(GatewayError.UPSTREAM_TIMEOUT,
                    "The upstream " + host + " did not answer in time", cause);
        }
        return new GatewayException(GatewayError.BAD_GATEWAY,
                "The upstream " + host + " failed: " + cause.getClass().getSimpleName(), cause);
    }

    /** No response head within the deployment's head timeout. */
    public static GatewayException headTimeout(URI endpoint) {
        return new GatewayException(GatewayError.UPSTREAM_TIMEOUT,
                "The upstream " + hostOf(endpoint) + " did not answer in time");
    }

    /**
     * An upstream {@code Retry-After} (delay-seconds or an HTTP date) in milliseconds from {@code nowMillis}; 0 when
     * absent, unreadable or in the past.
     */
    public static long retryAfterMillis(String retryAfter, long nowMillis) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return 0;
        }
        String value = retryAfter.strip();
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                return value.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(value) * 1000;
            }
            long at = java.time.ZonedDateTime.parse(value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant().toEpochMilli();
            return Math.max(0, at - nowMillis);
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    static String hostOf(URI endpoint) {
        return endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
