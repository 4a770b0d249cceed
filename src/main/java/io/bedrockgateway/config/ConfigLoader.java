package io.bedrockgateway.config;

import io.bedrockgateway.routing.BedrockService;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.RouteTable;
import io.bedrockgateway.upstream.CredentialsFactory;
import io.bedrockgateway.upstream.CredentialsSources;
import io.bedrockgateway.upstream.CredentialsSpec;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Loads a LiteLLM-compatible {@code config.yaml} into a validated {@link GatewayConfig}: {@code model_list} (Bedrock
 * deployments only), {@code general_settings} ({@code master_key}, {@code pass_through_unknown_models},
 * {@code max_request_size_mb}), {@code router_settings} (global {@code timeout}, {@code stream_timeout},
 * {@code connect_timeout}, retries, cooldown, fallbacks and stickiness; kept whole for the routing strategy) and {@code litellm_settings} (accepted, ignored).
 * {@code os.environ/NAME} references resolve through the given {@link Environment}.
 *
 * <p>Fails fast: the first problem becomes a {@link ConfigException} whose one-line message names the entry and the
 * field, and never a secret. Loading never calls AWS: credential providers are built on first use.
 *
 * <p>Stateless and thread-safe; each call reads the file anew.
 */
public final class ConfigLoader {
    private static final Logger LOG = Logger.getLogger(ConfigLoader.class.getName());
    private static final Set<String> TOP_LEVEL_KEYS =
            Set.of("model_list", "general_settings", "router_settings", "litellm_settings");
    private static final List<String> ROUTING_STRATEGIES = List.of("simple-shuffle", "least-busy",
            "latency-based-routing", "usage-based-routing", "usage-based-routing-v2");
    private static final Set<String> ROUTER_KEYS =
            Set.of("routing_strategy", "timeout", "stream_timeout", "connect_timeout");
    private static final Set<String> GENERAL_KEYS =
            Set.of("master_key", "pass_through_unknown_models", "max_request_size_mb", "database_url",
                    "database_path", "proxy_batch_write_at", "max_end_user_budget", "end_user_budgets");
    private static final long BYTES_PER_MB = 1024L * 1024;

    private ConfigLoader() {
    }

    /** Loads {@code file} with the AWS SDK credential providers and the AWS profile as the last region source. */
    public static GatewayConfig load(Path file, Environment env) throws ConfigException {
        return load(file, env, CredentialsSources.sdk(), ConfigLoader::profileRegion);
    }

    /**
     * Loads {@code file} with the given seams (tests pass fakes).
     *
     * @param credentials   creates one credentials source per distinct credentials spec
     * @param profileRegion the region of the AWS profile, or {@code null}; asked only when the environment names no
     *                      region for the default deployment
     */
    public static GatewayConfig load(Path file, Environment env, CredentialsFactory credentials,
                                     Supplier<String> profileRegion) throws ConfigException {
        Map<?, ?> root = readYaml(file);
        ConfigFields top = new ConfigFields(root, "", env);
        top.warnUnknownKeys(TOP_LEVEL_KEYS, "unknown top-level keys");
        ConfigFields general = ConfigFields.section(root.get("general_settings"), "general_settings",
                "general_settings.", env);
        general.warnUnknownKeys(GENERAL_KEYS, "unsupported keys");
        String masterKey = general.secret("master_key");
        boolean passThrough = general.bool("pass_through_unknown_models", true);
        long maxRequestBodyBytes = maxRequestBodyBytes(general);
        ConfigFields router = ConfigFields.section(root.get("router_settings"), "router_settings",
                "router_settings.", env);
        ConfigFields.section(root.get("litellm_settings"), "litellm_settings", "litellm_settings.", env);

        String strategy = router.string("routing_strategy");
        if (strategy != null && !ROUTING_STRATEGIES.contains(strategy)) {
            throw router.error("routing_strategy", " '" + strategy + "' is not one of " + ROUTING_STRATEGIES);
        }
        Set<String> routerKeys = new java.util.HashSet<>(RouterSettingsParser.KEYS);
        routerKeys.addAll(ROUTER_KEYS);
        router.warnUnknownKeys(routerKeys, "unsupported keys");
        Deployment.Timeouts timeouts = DeploymentParser.timeouts(router, Deployment.Timeouts.DEFAULTS);
        EndpointDefaults endpoints = EndpointDefaults.fromEnvironment(env);
        RegionChain regions = new RegionChain(env);
        AuthParser auth = new AuthParser(credentials, endpoints);
        Map<String, List<Deployment>> byAlias =
                new DeploymentParser(env, regions, endpoints, auth, timeouts).parse(modelList(top, file));
        Deployment defaults = defaultDeployment(regions.forDefault(profileRegion), endpoints, auth, timeouts);
        RouteTable routes = new RouteTable(byAlias, defaults, passThrough,
                new PassThroughDeployments(defaults, endpoints), RouterSettingsParser.parse(router, byAlias.keySet()));
        return new GatewayConfig(file, masterKey, maxRequestBodyBytes, routes, ConfigMaps.copy(router.raw()),
                governance(general, env));
    }

    private static List<?> modelList(ConfigFields top, Path file) throws ConfigException {
        List<?> modelList = top.list("model_list");
        if (modelList == null) {
            LOG.warning(file + ": no model_list; only raw model ids are routed");
            return List.of();
        }
        return modelList;
    }

    /** The deployment for operations without a model, and the template of pass-through deployments. */
    private static Deployment defaultDeployment(String region, EndpointDefaults endpoints, AuthParser auth,
                                                Deployment.Timeouts timeouts) {
        return new Deployment("default", null, null, region, endpoints.endpoint(BedrockService.RUNTIME, region),
                endpoints.endpoint(BedrockService.AGENT_RUNTIME, region),
                auth.auth(new CredentialsSpec.DefaultChain()), 1, 0, 0, timeouts, Map.of(), false);
    }

    private static GovernanceSettings governance(ConfigFields general, Environment env) throws ConfigException {
        String databaseUrl = general.secret("database_url");
        if (databaseUrl == null) {
            databaseUrl = env.get("DATABASE_URL");
        }
        String path = general.string("database_path");
        Duration flush = general.seconds("proxy_batch_write_at");
        BigDecimal maxEndUserBudget = general.positiveNumber("max_end_user_budget");
        Map<String, BigDecimal> endUserBudgets = new LinkedHashMap<>();
        Map<?, ?> named = general.map("end_user_budgets");
        if (named != null) {
            ConfigFields budgets = new ConfigFields(named, "general_settings.end_user_budgets.", env);
            for (Object endUser : named.keySet()) {
                endUserBudgets.put(String.valueOf(endUser), budgets.positiveNumber(String.valueOf(endUser)));
            }
        }
        return new GovernanceSettings(databaseUrl, path == null ? GovernanceSettings.DEFAULTS.dataDirectory()
                : Path.of(path), flush == null ? GovernanceSettings.DEFAULTS.spendFlushInterval() : flush,
                maxEndUserBudget, endUserBudgets);
    }

    private static long maxRequestBodyBytes(ConfigFields general) throws ConfigException {
        BigDecimal megabytes = general.positiveNumber("max_request_size_mb");
        if (megabytes == null) {
            return GatewayConfig.DEFAULT_MAX_REQUEST_BODY_BYTES;
        }
        if (megabytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / BYTES_PER_MB)) > 0) {
            throw general.error("max_request_size_mb", " is too large");
        }
        return Math.max(1, megabytes.multiply(BigDecimal.valueOf(BYTES_PER_MB)).longValue());
    }

    private static Map<?, ?> readYaml(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + ": not found");
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + file + ": not valid UTF-8");
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": cannot be read (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        Object document;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            // Only the problem and its position: the snippet snakeyaml quotes could hold a secret.
            Mark mark = e.getProblemMark();
            String where = mark == null ? ""
                    : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            throw new ConfigException("config file " + file + ": YAML syntax error" + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException("config file " + file + ": invalid YAML (" + e.getClass().getSimpleName() + ")");
        }
        if (document == null) {
            throw new ConfigException("config file " + file
                    + ": is empty (expected model_list, general_settings, ...)");
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new ConfigException("config file " + file + ": the top level must be a mapping (model_list,"
                    + " general_settings, ...), got " + ConfigFields.typeName(document));
        }
        return root;
    }

    /** The region of the active AWS profile, or {@code null}; reads the local AWS config file only. */
    static String profileRegion() {
        try {
            return new software.amazon.awssdk.regions.providers.AwsProfileRegionProvider().getRegion().id();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
