package io.bedrockgateway.upstream;

import io.bedrockgateway.routing.Deployment;
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
}
