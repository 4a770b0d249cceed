package io.bedrockgateway.config;

import io.bedrockgateway.routing.BedrockService;
import io.bedrockgateway.upstream.BedrockEndpoints;

import java.net.URI;

/**
 * The process-wide endpoint overrides, following the AWS SDK convention: {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME},
 * {@code AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME} and {@code AWS_ENDPOINT_URL_STS} per service, then
 * {@code AWS_ENDPOINT_URL} for all; all ignored when {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true}. Without an
 * override the regional AWS host is used.
 *
 * <p>Immutable and thread-safe.
 */
final class EndpointDefaults {
    static final String RUNTIME_VAR = "AWS_ENDPOINT_URL_BEDROCK_RUNTIME";
    static final String AGENT_RUNTIME_VAR = "AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME";
    static final String STS_VAR = "AWS_ENDPOINT_URL_STS";
    static final String GLOBAL_VAR = "AWS_ENDPOINT_URL";

    private final URI runtime;
    private final URI agentRuntime;
    private final URI sts;

    private EndpointDefaults(URI runtime, URI agentRuntime, URI sts) {
        this.runtime = runtime;
        this.agentRuntime = agentRuntime;
        this.sts = sts;
    }

    static EndpointDefaults fromEnvironment(Environment env) throws ConfigException {
        if ("true".equalsIgnoreCase(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
            return new EndpointDefaults(null, null, null);
        }
        URI global = parse(env, GLOBAL_VAR);
        URI runtime = parse(env, RUNTIME_VAR);
        URI agentRuntime = parse(env, AGENT_RUNTIME_VAR);
        URI sts = parse(env, STS_VAR);
        return new EndpointDefaults(runtime != null ? runtime : global,
                agentRuntime != null ? agentRuntime : global, sts != null ? sts : global);
    }

    /** The override for {@code service}, or its regional endpoint in {@code region}. */
    URI endpoint(BedrockService service, String region) {
        URI override = service == BedrockService.RUNTIME ? runtime : agentRuntime;
        return override != null ? override : BedrockEndpoints.regional(service, region);
    }

    /** The STS endpoint override, or {@code null} for the SDK's regional STS endpoint. */
    URI sts() {
        return sts;
    }

    /**
     * Parses an endpoint value, naming {@code field} in the error; the value itself is only echoed when it holds no
     * user info (which could carry a password).
     */
    static URI parseEndpoint(String value, String field) throws ConfigException {
        try {
            return BedrockEndpoints.parseOverride(value);
        } catch (IllegalArgumentException e) {
            String shown = value.contains("@") ? "" : " '" + value + "'";
            throw new ConfigException(field + shown + " " + e.getMessage());
        }
    }

    private static URI parse(Environment env, String name) throws ConfigException {
        String value = env.get(name);
        return value == null ? null : parseEndpoint(value, "environment variable " + name);
    }
}
