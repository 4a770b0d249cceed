package io.bedrockgateway.upstream;

import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.RouteDecision;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Everything about the upstream request except its body, prepared by the signing filter while the body is still
 * arriving. Immutable and thread-safe.
 *
 * @param method          HTTP method, as the client sent it
 * @param endpoint        upstream base URI
 * @param encodedPath     the path exactly as it is signed and sent
 * @param queryParameters decoded query parameters (the signer and the request line encode them the same way)
 * @param headers         client headers that may go upstream, names as the client sent them
 * @param deployment      the chosen deployment (region and auth)
 * @param credentials     SigV4 credentials being resolved, or {@code null} for bearer-token deployments
 */
public record UpstreamRequestPlan(String method, URI endpoint, String encodedPath,
                                  Map<String, List<String>> queryParameters, Map<String, List<String>> headers,
                                  Deployment deployment, CompletableFuture<AwsCredentialsIdentity> credentials) {

    /** The plan for {@code route}: its endpoint, path and deployment, whose credentials start resolving now. */
    static UpstreamRequestPlan of(String method, RouteDecision route, Map<String, List<String>> queryParameters,
                                  Map<String, List<String>> headers) {
        UpstreamAuth auth = route.deployment().auth();
        return new UpstreamRequestPlan(method, route.endpoint(), route.upstreamPath(), queryParameters, headers,
                route.deployment(), auth instanceof UpstreamAuth.SigV4 sigV4 ? sigV4.credentials().resolve() : null);
    }

    /** The same request sent to another route (a retry on another deployment). */
    UpstreamRequestPlan retarget(RouteDecision route) {
        return of(method, route, queryParameters, headers);
    }
}
