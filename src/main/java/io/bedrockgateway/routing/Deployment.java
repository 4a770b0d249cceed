package io.bedrockgateway.routing;

import io.bedrockgateway.upstream.UpstreamAuth;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One concrete upstream target: a model id (or inference-profile ARN) in a region, reached with one set of
 * credentials. Several deployments can share an alias; a raw-model pass-through uses a deployment built from the
 * default credentials and region. Immutable and thread-safe.
 *
 * @param id                   stable identifier for logs, health and spend, e.g. {@code my-claude/0}
 * @param alias                the {@code model_name} clients use, or {@code null} for pass-through deployments
 * @param upstreamModelId      what goes into the upstream path in place of the alias (model id or ARN)
 * @param region               AWS region, used for the regional host and for SigV4
 * @param runtimeEndpoint      base URI for bedrock-runtime calls (scheme, host, optional port; no path)
 * @param agentRuntimeEndpoint base URI for bedrock-agent-runtime calls
 * @param auth                 how to authenticate upstream
 * @param weight               relative share for weighted random routing (&gt; 0)
 * @param rpm                  requests per minute this deployment is provisioned for, or 0 when unknown
 * @param tpm                  tokens per minute, or 0 when unknown
 * @param timeouts             upstream timeouts for this deployment
 * @param modelInfo            the entry's {@code model_info} (prices and other metadata), unmodifiable, possibly
 *                             nested; empty when none
 * @param weightConfigured     whether {@code weight} was set in the config (rather than defaulted to 1); weighted
 *                             routing falls back to {@code rpm}/{@code tpm} only when no deployment of an alias sets it
 */
public record Deployment(String id, String alias, String upstreamModelId, String region, URI runtimeEndpoint,
                         URI agentRuntimeEndpoint, UpstreamAuth auth, int weight, int rpm, int tpm,
                         Timeouts timeouts, Map<String, Object> modelInfo, boolean weightConfigured) {

    public Deployment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(runtimeEndpoint, "runtimeEndpoint");
        Objects.requireNonNull(agentRuntimeEndpoint, "agentRuntimeEndpoint");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(timeouts, "timeouts");
        modelInfo = modelInfo == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(modelInfo));
    }

    /**
     * The original eleven-component form: no {@code model_info}; a weight other than 1 counts as configured.
     */
    public Deployment(String id, String alias, String upstreamModelId, String region, URI runtimeEndpoint,
                      URI agentRuntimeEndpoint, UpstreamAuth auth, int weight, int rpm, int tpm, Timeouts timeouts) {
        this(id, alias, upstreamModelId, region, runtimeEndpoint, agentRuntimeEndpoint, auth, weight, rpm, tpm,
                timeouts, Map.of(), weight != 1);
    }

    /** The base URI for the given service. */
    public URI endpoint(BedrockService service) {
        return service == BedrockService.RUNTIME ? runtimeEndpoint : agentRuntimeEndpoint;
    }

    /**
     * Upstream timeouts. {@code connect}: TCP/TLS connect. {@code responseHead}: from request sent to response
     * head (a non-streaming converse produces its whole answer before the head, so this is long).
     * {@code streamIdle}: longest silence between two chunks of a response body; a stream has no total deadline.
     */
    public record Timeouts(Duration connect, Duration responseHead, Duration streamIdle) {
        public static final Timeouts DEFAULTS =
                new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(600), Duration.ofSeconds(120));

        public Timeouts {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(responseHead, "responseHead");
            Objects.requireNonNull(streamIdle, "streamIdle");
        }
    }
}
