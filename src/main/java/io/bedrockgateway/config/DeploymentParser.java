package io.bedrockgateway.config;

import io.bedrockgateway.routing.BedrockService;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.upstream.UpstreamAuth;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code model_list} into deployments grouped by alias, in config order. Deployment ids are
 * {@code <model_name>/<index within that alias>}.
 *
 * <p>Not thread-safe; used by one loading thread.
 */
final class DeploymentParser {
    static final String PROVIDER_PREFIX = "bedrock/";
    private static final List<String> ROUTE_PREFIXES = List.of("converse/", "invoke/");
    private static final Set<String> ENTRY_KEYS = Set.of("model_name", "litellm_params", "model_info");
    private static final List<String> DEPLOYMENT_KEYS = List.of("model", "model_id", "aws_region_name",
            "aws_bedrock_runtime_endpoint", "weight", "rpm", "tpm", "timeout", "stream_timeout", "connect_timeout");

    private final Environment env;
    private final RegionChain regions;
    private final EndpointDefaults endpoints;
    private final AuthParser auth;
    private final Deployment.Timeouts timeouts;

    DeploymentParser(Environment env, RegionChain regions, EndpointDefaults endpoints, AuthParser auth,
                     Deployment.Timeouts timeouts) {
        this.env = env;
        this.regions = regions;
        this.endpoints = endpoints;
        this.auth = auth;
        this.timeouts = timeouts;
    }

    Map<String, List<Deployment>> parse(List<?> modelList) throws ConfigException {
        Map<String, List<Deployment>> byAlias = new LinkedHashMap<>();
        for (int i = 0; i < modelList.size(); i++) {
            Object entry = modelList.get(i);
            if (!(entry instanceof Map<?, ?> map)) {
                throw new ConfigException("model_list[" + i + "] must be a mapping with model_name and"
                        + " litellm_params, got " + (entry == null ? "nothing" : ConfigFields.typeName(entry)));
            }
            String alias = new ConfigFields(map, "model_list[" + i + "].", env).requiredString("model_name");
            List<Deployment> group = byAlias.computeIfAbsent(alias, a -> new ArrayList<>());
            String prefix = "model_list[" + i + "] (" + alias + "): ";
            group.add(deployment(new ConfigFields(map, prefix, env), alias, alias + "/" + group.size()));
        }
        return byAlias;
    }

    private Deployment deployment(ConfigFields entry, String alias, String id) throws ConfigException {
        entry.warnUnknownKeys(ENTRY_KEYS, "unknown keys");
        Map<?, ?> paramsMap = entry.map("litellm_params");
        if (paramsMap == null) {
            throw entry.error("litellm_params", " is missing");
        }
        Map<?, ?> modelInfo = entry.map("model_info");
        ConfigFields params = new ConfigFields(paramsMap, entry.field("litellm_params."), env);
        List<String> known = new ArrayList<>(DEPLOYMENT_KEYS);
        known.addAll(AuthParser.KEYS);
        params.warnUnknownKeys(known, "unsupported keys");

        String upstreamId = modelId(params);
        String region = regions.forDeployment(params, upstreamId);
        String runtimeOverride = params.string("aws_bedrock_runtime_endpoint");
        URI runtime = runtimeOverride != null
                ? EndpointDefaults.parseEndpoint(runtimeOverride, params.field("aws_bedrock_runtime_endpoint"))
                : endpoints.endpoint(BedrockService.RUNTIME, region);
        URI agentRuntime = endpoints.endpoint(BedrockService.AGENT_RUNTIME, region);
        UpstreamAuth upstreamAuth = auth.parse(params, region);
        return new Deployment(id, alias, upstreamId, region, runtime, agentRuntime, upstreamAuth,
                params.integer("weight", 1, 1), params.integer("rpm", 0, 0), params.integer("tpm", 0, 0),
                timeouts(params, timeouts), ConfigMaps.copy(modelInfo), params.has("weight"));
    }

    /** Per-deployment {@code timeout}, {@code stream_timeout}, {@code connect_timeout} over {@code fallback}. */
    static Deployment.Timeouts timeouts(ConfigFields fields, Deployment.Timeouts fallback) throws ConfigException {
        java.time.Duration head = fields.seconds("timeout");
        java.time.Duration streamIdle = fields.seconds("stream_timeout");
        java.time.Duration connect = fields.seconds("connect_timeout");
        return new Deployment.Timeouts(connect != null ? connect : fallback.connect(),
                head != null ? head : fallback.responseHead(), streamIdle != null ? streamIdle : fallback.streamIdle());
    }

    /** {@code model_id} when set (an inference-profile ARN), else the id in {@code model}. */
    private static String modelId(ConfigFields params) throws ConfigException {
        String fromModel = stripProvider(params, params.requiredString("model"));
        String override = params.string("model_id");
        if (override == null) {
            return fromModel;
        }
        checkModelId(params, "model_id", override, override);
        return override;
    }

    /** {@code bedrock/[converse/|invoke/]<id or ARN>} to the id or ARN. */
    private static String stripProvider(ConfigFields params, String model) throws ConfigException {
        if (!model.startsWith(PROVIDER_PREFIX)) {
            throw params.error("model", " '" + model + "' is not a Bedrock model (expected bedrock/<model id or ARN>)");
        }
        String id = model.substring(PROVIDER_PREFIX.length());
        for (String route : ROUTE_PREFIXES) {
            if (id.startsWith(route)) {
                id = id.substring(route.length());
                break;
            }
        }
        checkModelId(params, "model", model, id);
        return id;
    }

    private static void checkModelId(ConfigFields params, String key, String value, String id)
            throws ConfigException {
        if (id.isEmpty()) {
            throw params.error(key, " '" + value + "' names no model (expected bedrock/<model id or ARN>)");
        }
        if (id.chars().anyMatch(Character::isWhitespace)) {
            throw params.error(key, " '" + value + "' contains whitespace");
        }
        if (id.contains("/") && !id.startsWith("arn:") && key.equals("model_id")) {
            throw params.error(key, " '" + value + "' must be a model id or an ARN");
        }
        if (id.contains("/") && !id.startsWith("arn:")) {
            throw params.error(key, " '" + value + "': route prefix '" + id.substring(0, id.indexOf('/') + 1)
                    + "' is not supported (expected bedrock/[converse/|invoke/]<model id or ARN>)");
        }
    }
}
