package io.bedrockgateway.config;

import io.bedrockgateway.routing.BedrockService;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.upstream.BedrockEndpoints;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@code RouteTable} pass-through factory: a deployment for a raw model id or ARN, built from the default
 * deployment (its one shared credentials source, region, timeouts) with the region of the ARN when the id is one.
 * Up to {@value #MAX_CACHED} deployments are kept, so that the common ids cost no allocation; ids are
 * client-controlled, hence the bound.
 *
 * <p>Thread-safe.
 */
final class PassThroughDeployments implements Function<String, Deployment> {
    static final int MAX_CACHED = 1024;
    static final String ID_PREFIX = "passthrough/";

    private final Deployment defaults;
    private final EndpointDefaults endpoints;
    private final Map<String, Deployment> cache = new ConcurrentHashMap<>();

    PassThroughDeployments(Deployment defaults, EndpointDefaults endpoints) {
        this.defaults = defaults;
        this.endpoints = endpoints;
    }

    @Override
    public Deployment apply(String modelId) {
        Deployment cached = cache.get(modelId);
        if (cached != null) {
            return cached;
        }
        Deployment deployment = build(modelId);
        if (cache.size() < MAX_CACHED) {
            cache.putIfAbsent(modelId, deployment);
        }
        return deployment;
    }

    private Deployment build(String modelId) {
        String arnRegion = BedrockEndpoints.regionOfArn(modelId);
        if (arnRegion == null || arnRegion.equals(defaults.region())) {
            return new Deployment(ID_PREFIX + modelId, null, modelId, defaults.region(), defaults.runtimeEndpoint(),
                    defaults.agentRuntimeEndpoint(), defaults.auth(), 1, 0, 0, defaults.timeouts(), Map.of(), false);
        }
        return new Deployment(ID_PREFIX + modelId, null, modelId, arnRegion,
                endpoints.endpoint(BedrockService.RUNTIME, arnRegion),
                endpoints.endpoint(BedrockService.AGENT_RUNTIME, arnRegion), defaults.auth(), 1, 0, 0,
                defaults.timeouts(), Map.of(), false);
    }
}
