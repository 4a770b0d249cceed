package io.bedrockgateway.routing;

import java.net.URI;
import java.util.Objects;

/**
 * The routing filter's verdict for one request: where it goes and under which path. Immutable and thread-safe.
 *
 * @param deployment   the chosen deployment
 * @param endpoint     base URI (scheme, host, port) of the upstream service
 * @param upstreamPath the encoded upstream path, exactly as it is signed and sent
 * @param rawQuery     the client's raw query string, or {@code null}
 */
public record RouteDecision(Deployment deployment, URI endpoint, String upstreamPath, String rawQuery) {
    public RouteDecision {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(upstreamPath, "upstreamPath");
    }
}
