package io.bedrockgateway.config;

import io.bedrockgateway.routing.BedrockService;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.RouteTable;
import io.bedrockgateway.upstream.CredentialsSpec;
import io.bedrockgateway.upstream.UpstreamAuth;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest extends ConfigLoaderTestSupport {
    private static final String PROFILE_ARN =
            "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0";

    private static final String FULL = """
            model_list:
              - model_name: my-claude
                litellm_params:
                  model: bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0
                  aws_region_name: us-west-2
                  aws_access_key_id: os.environ/AWS_ACCESS_KEY_ID
                  aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY
                  weight: 3
                  rpm: 100
                  tpm: 200000
                  timeout: 30
                  stream_timeout: 12.5
                model_info:
                  input_cost_per_token: 0.000003
                  output_cost_per_token: 0.000015
                  mode: chat
                  nested: {a: [1, 2]}
              - model_name: my-claude
                litellm_params:
                  model: bedrock/converse/us.anthropic.claude-3-5-sonnet-20240620-v1:0
                  aws_region_name: us-east-2
                  aws_profile_name: prod
              - model_name: titan
                litellm_params:
                  model: bedrock/invoke/amazon.titan-text-express-v1
                  aws_bearer_token: os.environ/BEDROCK_KEY
                  connect_timeout: 2
            general_settings:
              master_key: os.environ/GATEWAY_MASTER_KEY
              pass_through_unknown_models: false
              max_request_size_mb: 10
            router_settings:
              routing_strategy: simple-shuffle
              timeout: 300
              stream_timeout: 60
              num_retries: 2
            litellm_settings:
              drop_params: true
            """;
    private static final Map<String, String> FULL_ENV = Map.of("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "BEDROCK_KEY", "bedrock-api-key",
            "GATEWAY_MASTER_KEY", "sk-master", "AWS_REGION", "eu-west-1");

    @Test
    void fullSample() throws Exception {
        GatewayConfig config = load(FULL, FULL_ENV);
        assertEquals(dir.resolve("config.yaml"), config.source());
        assertEquals("sk-master", config.masterKey());
        assertEquals(10L * 1024 * 1024, config.maxRequestBodyBytes());
        assertEquals("simple-shuffle", config.routerSettings().get("routing_strategy"));
        assertEquals(2, config.routerSettings().get("num_retries"));
        assertFalse(config.toString().contains("sk-master"));

        RouteTable routes = config.routes();
        assertEquals(List.of("my-claude", "titan"), List.copyOf(routes.aliases()));
        assertFalse(routes.passThroughUnknownModels());
        assertEquals(List.of(), routes.candidates("anthropic.claude-3-haiku-20240307-v1:0"));

        List<Deployment> claude = routes.candidates("my-claude");
        Deployment west = claude.get(0);
        assertEquals("my-claude/0", west.id());
        assertEquals("my-claude", west.alias());
        assertEquals("us.anthropic.claude-3-5-sonnet-20240620-v1:0", west.upstreamModelId());
        assertEquals("us-west-2", west.region());
        assertEquals(URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"), west.runtimeEndpoint());
        assertEquals(URI.create("https://bedrock-agent-runtime.us-west-2.amazonaws.com"),
                west.agentRuntimeEndpoint());
        assertEquals(new CredentialsSpec.Static("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                null), spec(west.auth()));
        assertEquals(3, west.weight());
        assertTrue(west.weightConfigured());
        assertEquals(100, west.rpm());
        assertEquals(200000, west.tpm());
        assertEquals(new Deployment.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofMillis(12500)), west.timeouts());
        assertEquals("chat", west.modelInfo().get("mode"));
        assertEquals(0.000003, west.modelInfo().get("input_cost_per_token"));
        assertEquals(Map.of("a", List.of(1, 2)), west.modelInfo().get("nested"));

        Deployment east = claude.get(1);
        assertEquals("my-claude/1", east.id());
        assertEquals("us.anthropic.claude-3-5-sonnet-20240620-v1:0", east.upstreamModelId());
        assertEquals("us-east-2", east.region());
        assertEquals(new CredentialsSpec.Profile("prod"), spec(east.auth()));
        assertEquals(1, east.weight());
        assertFalse(east.weightConfigured());
        assertEquals(new Deployment.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(300),
                Duration.ofSeconds(60)), east.timeouts());
        assertEquals(Map.of(), east.modelInfo());

        Deployment titan = routes.candidates("titan").get(0);
        assertEquals("titan/0", titan.id());
        assertEquals("amazon.titan-text-express-v1", titan.upstreamModelId());
        assertEquals("eu-west-1", titan.region(), "from AWS_REGION");
        assertEquals(new UpstreamAuth.Bearer("bedrock-api-key"), titan.auth());
        assertEquals(Duration.ofSeconds(2), titan.timeouts().connect());

        Deployment defaults = routes.defaultDeployment();
        assertEquals("eu-west-1", defaults.region());
        assertNull(defaults.upstreamModelId());
        assertEquals(new CredentialsSpec.DefaultChain(), spec(defaults.auth()));
        assertEquals(Duration.ofSeconds(300), defaults.timeouts().responseHead());
    }

    @Test
    void minimalConfigUsesDefaults() throws Exception {
        GatewayConfig config = load("model_list: []\n", Map.of("AWS_DEFAULT_REGION", "ap-south-1"));
        assertNull(config.masterKey());
        assertEquals(GatewayConfig.DEFAULT_MAX_REQUEST_BODY_BYTES, config.maxRequestBodyBytes());
        assertTrue(config.routes().passThroughUnknownModels());
        assertEquals(Map.of(), config.routerSettings());
        assertEquals(Deployment.Timeouts.DEFAULTS, config.routes().defaultDeployment().timeouts());
        assertEquals("ap-south-1", config.routes().defaultDeployment().region());
    }

    @Test
    void fractionalRequestSize() throws Exception {
        assertEquals(512 * 1024, load("general_settings: {max_request_size_mb: 0.5}\n").maxRequestBodyBytes());
    }

    @Test
    void routePrefixesAreStripped() throws Exception {
        GatewayConfig config = load("""
                model_list:
                  - model_name: a
                    litellm_params: {model: bedrock/converse/meta.llama3-70b-instruct-v1:0, aws_region_name: us-east-1}
                  - model_name: b
                    litellm_params: {model: bedrock/invoke/cohere.command-r-v1:0, aws_region_name: us-east-1}
                  - model_name: c
                    litellm_params: {model: "bedrock/converse/%s"}
                  - model_name: d
                    litellm_params: {model: bedrock/amazon.nova-pro-v1:0, aws_region_name: us-east-1}
                """.formatted(PROFILE_ARN));
        assertEquals("meta.llama3-70b-instruct-v1:0", upstream(config, "a"));
        assertEquals("cohere.command-r-v1:0", upstream(config, "b"));
        assertEquals(PROFILE_ARN, upstream(config, "c"));
        assertEquals("amazon.nova-pro-v1:0", upstream(config, "d"));
    }

    @Test
    void regionIsTakenFromTheArnInModelOrModelId() throws Exception {
        GatewayConfig config = load("""
                model_list:
                  - model_name: from-model
                    litellm_params: {model: "bedrock/%s"}
                  - model_name: from-model-id
                    litellm_params:
                      model: bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0
                      model_id: arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/abc123
                """.formatted(PROFILE_ARN), Map.of("AWS_REGION", "ap-northeast-1"));
        Deployment fromModel = config.routes().candidates("from-model").get(0);
        assertEquals("us-west-2", fromModel.region());
        assertEquals(URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"), fromModel.runtimeEndpoint());
        Deployment fromModelId = config.routes().candidates("from-model-id").get(0);
        assertEquals("eu-central-1", fromModelId.region());
        assertEquals("arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/abc123",
                fromModelId.upstreamModelId());
    }

    @Test
    void explicitRegionWinsOverArnWithAWarning() throws Exception {
        List<LogRecord> logs = logsOf(() -> assertEquals("us-east-1", load("""
                model_list:
                  - model_name: a
                    litellm_params: {model: "bedrock/%s", aws_region_name: us-east-1}
                """.formatted(PROFILE_ARN)).routes().candidates("a").get(0).region()));
        assertTrue(logs.stream().anyMatch(r -> r.getLevel() == Level.WARNING
                && r.getMessage().contains("differs from the region 'us-west-2'")));
    }

    @Test
    void environmentRegionChainOrder() throws Exception {
        String yaml = "model_list:\n  - model_name: a\n    litellm_params: {model: bedrock/m}\n";
        assertEquals("us-east-2", region(load(yaml, Map.of("AWS_REGION", "us-east-2", "AWS_REGION_NAME",
                "us-west-1", "AWS_DEFAULT_REGION", "eu-west-3"))));
        assertEquals("us-west-1", region(load(yaml, Map.of("AWS_REGION_NAME", "us-west-1", "AWS_DEFAULT_REGION",
                "eu-west-3"))));
        assertEquals("eu-west-3", region(load(yaml, Map.of("AWS_DEFAULT_REGION", "eu-west-3"))));
    }

    @Test
    void defaultRegionFallsBackToProfileThenUsEast1() throws Exception {
        profileRegion = "sa-east-1";
        assertEquals("sa-east-1", load("model_list: []\n").routes().defaultDeployment().region());
        profileRegion = null;
        List<LogRecord> logs = logsOf(() ->
                assertEquals("us-east-1", load("model_list: []\n").routes().defaultDeployment().region()));
        assertTrue(logs.stream().anyMatch(r -> r.getMessage().contains("no AWS region configured")));
        assertEquals("us-west-2",
                load("model_list: []\n", Map.of("AWS_REGION", "us-west-2")).routes().defaultDeployment().region());
    }

    @Test
    void endpointPrecedence() throws Exception {
        String yaml = """
                model_list:
                  - model_name: override
                    litellm_params: {model: bedrock/m, aws_bedrock_runtime_endpoint: "https://vpce.example.com/"}
                  - model_name: plain
                    litellm_params: {model: bedrock/m}
                """;
        Map<String, String> env = Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://localhost:9001",
                "AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME", "http://localhost:9002",
                "AWS_ENDPOINT_URL", "http://localhost:9000");
        GatewayConfig config = load(yaml, env);
        Deployment override = config.routes().candidates("override").get(0);
        assertEquals(URI.create("https://vpce.example.com"), override.runtimeEndpoint());
        assertEquals(URI.create("http://localhost:9002"), override.agentRuntimeEndpoint());
        Deployment plain = config.routes().candidates("plain").get(0);
        assertEquals(URI.create("http://localhost:9001"), plain.runtimeEndpoint());
        assertEquals(URI.create("http://localhost:9001"), config.routes().defaultDeployment().runtimeEndpoint());
        assertEquals(URI.create("http://localhost:9002"),
                config.routes().defaultDeployment().endpoint(BedrockService.AGENT_RUNTIME));

        GatewayConfig global = load(yaml, Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL",
                "http://localhost:9000"));
        Deployment globalPlain = global.routes().candidates("plain").get(0);
        assertEquals(URI.create("http://localhost:9000"), globalPlain.runtimeEndpoint());
        assertEquals(URI.create("http://localhost:9000"), globalPlain.agentRuntimeEndpoint());

        GatewayConfig ignored = load(yaml, Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL",
                "http://localhost:9000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));
        assertEquals(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"),
                ignored.routes().candidates("plain").get(0).runtimeEndpoint());
    }

    @Test
    void chinaRegionsUseTheChinaPartitionHost() throws Exception {
        Deployment china = load("""
                model_list:
                  - model_name: cn
                    litellm_params: {model: bedrock/m, aws_region_name: cn-northwest-1}
                """).routes().candidates("cn").get(0);
        assertEquals(URI.create("https://bedrock-runtime.cn-northwest-1.amazonaws.com.cn"), china.runtimeEndpoint());
        assertEquals(URI.create("https://bedrock-agent-runtime.cn-northwest-1.amazonaws.com.cn"),
                china.agentRuntimeEndpoint());
    }

    @Test
    void timeoutPrecedence() throws Exception {
        GatewayConfig config = load("""
                model_list:
                  - model_name: own
                    litellm_params: {model: bedrock/m, timeout: 0.25, stream_timeout: "7", connect_timeout: 1.5}
                  - model_name: global
                    litellm_params: {model: bedrock/m}
                router_settings: {timeout: 100, connect_timeout: 3}
                """, Map.of("AWS_REGION", "us-east-1"));
        assertEquals(new Deployment.Timeouts(Duration.ofMillis(1500), Duration.ofMillis(250), Duration.ofSeconds(7)),
                config.routes().candidates("own").get(0).timeouts());
        assertEquals(new Deployment.Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(100),
                Deployment.Timeouts.DEFAULTS.streamIdle()), config.routes().candidates("global").get(0).timeouts());
    }

    @Test
    void passThroughDeploymentsShareTheDefaultCredentials() throws Exception {
        GatewayConfig config = load("""
                model_list:
                  - model_name: a
                    litellm_params: {model: bedrock/m}
                """, Map.of("AWS_REGION", "us-east-1"));
        RouteTable routes = config.routes();
        Deployment raw = routes.candidates("anthropic.claude-3-haiku-20240307-v1:0").get(0);
        assertEquals("anthropic.claude-3-haiku-20240307-v1:0", raw.upstreamModelId());
        assertNull(raw.alias());
        assertEquals("us-east-1", raw.region());
        assertSame(routes.defaultDeployment().auth(), raw.auth());
        assertSame(routes.candidates("a").get(0).auth(), raw.auth());
        assertSame(raw, routes.candidates("anthropic.claude-3-haiku-20240307-v1:0").get(0), "cached");
        assertEquals(1, created.size(), "one default-chain source for every deployment that uses it");

        Deployment arn = routes.candidates(PROFILE_ARN).get(0);
        assertEquals("us-west-2", arn.region());
        assertEquals(URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"), arn.runtimeEndpoint());
        assertSame(routes.defaultDeployment().auth(), arn.auth());

        Deployment hostile = routes.candidates("arn:aws:bedrock:evil.com#:1:x/y").get(0);
        assertEquals("us-east-1", hostile.region());
    }

    @Test
    void passThroughCacheIsBounded() throws Exception {
        RouteTable routes = load("model_list: []\n").routes();
        for (int i = 0; i < PassThroughDeployments.MAX_CACHED + 10; i++) {
            assertEquals("model-" + i, routes.candidates("model-" + i).get(0).upstreamModelId());
        }
        Deployment late = routes.candidates("model-" + (PassThroughDeployments.MAX_CACHED + 5)).get(0);
        assertEquals("passthrough/model-" + (PassThroughDeployments.MAX_CACHED + 5), late.id());
    }

    @Test
    void identicalCredentialsShareOneSource() throws Exception {
        GatewayConfig config = load("""
                model_list:
                  - model_name: a
                    litellm_params: {model: bedrock/m, aws_access_key_id: AKID1, aws_secret_access_key: s1}
                  - model_name: b
                    litellm_params: {model: bedrock/m, aws_access_key_id: AKID1, aws_secret_access_key: s1}
                  - model_name: c
                    litellm_params: {model: bedrock/m, aws_access_key_id: AKID2, aws_secret_access_key: s2}
                """, Map.of("AWS_REGION", "us-east-1"));
        UpstreamAuth a = config.routes().candidates("a").get(0).auth();
        assertSame(a, config.routes().candidates("b").get(0).auth());
        assertFalse(a == config.routes().candidates("c").get(0).auth());
    }

    @Test
    void unknownKeysWarnButDoNotFail() throws Exception {
        List<LogRecord> logs = logsOf(() -> load("""
                model_list:
                  - model_name: a
                    litellm_params: {model: bedrock/m, temperature: 0.2}
                    extra: 1
                environment_variables: {X: y}
                general_settings: {alerting: ["slack"]}
                """, Map.of("AWS_REGION", "us-east-1")));
        String all = logs.stream().map(LogRecord::getMessage).reduce("", (x, y) -> x + "\n" + y);
        assertTrue(all.contains("unknown top-level keys [environment_variables]"), all);
        assertTrue(all.contains("model_list[0] (a): litellm_params: ignoring unsupported keys [temperature]"), all);
        assertTrue(all.contains("model_list[0] (a): ignoring unknown keys [extra]"), all);
        assertTrue(all.contains("general_settings: ignoring unsupported keys [alerting]"), all);
    }

    @Test
    void routingStrategyMustBeKnown() throws Exception {
        ConfigException bad = assertThrows(ConfigException.class, () -> load(
                "router_settings:\n  routing_strategy: fastest\n", Map.of("AWS_REGION", "us-east-1")));
        assertTrue(bad.getMessage().contains("router_settings.routing_strategy"), bad.getMessage());
        assertEquals("least-busy", load("router_settings:\n  routing_strategy: least-busy\n",
                Map.of("AWS_REGION", "us-east-1")).routerSettings().get("routing_strategy"));
    }

    @Test
    void governanceSettings() throws Exception {
        GatewayConfig config = load("""
                general_settings:
                  database_url: os.environ/DB
                  database_path: /var/lib/gateway
                  proxy_batch_write_at: 0.5
                  max_end_user_budget: 5
                  end_user_budgets: {alice: 20, bob: "1.5"}
                """, Map.of("AWS_REGION", "us-east-1", "DB", "postgresql://u:p@db:5432/gw"));
        GovernanceSettings governance = config.governance();
        assertEquals("postgresql://u:p@db:5432/gw", governance.databaseUrl());
        assertEquals(java.nio.file.Path.of("/var/lib/gateway"), governance.dataDirectory());
        assertEquals(java.time.Duration.ofMillis(500), governance.spendFlushInterval());
        assertEquals(new java.math.BigDecimal("20"), governance.endUserBudget("alice").orElseThrow());
        assertEquals(new java.math.BigDecimal("1.5"), governance.endUserBudget("bob").orElseThrow());
        assertEquals(new java.math.BigDecimal("5"), governance.endUserBudget("carol").orElseThrow());
        assertFalse(governance.toString().contains("p@db"), "no password in toString");

        GovernanceSettings defaults = load("model_list: []\n", Map.of("AWS_REGION", "us-east-1",
                "DATABASE_URL", "jdbc:postgresql://h/db")).governance();
        assertEquals("jdbc:postgresql://h/db", defaults.databaseUrl(), "DATABASE_URL from the environment");
        assertEquals(java.time.Duration.ofSeconds(1), defaults.spendFlushInterval());
        assertTrue(defaults.endUserBudget("anyone").isEmpty());

        ConfigException bad = assertThrows(ConfigException.class, () -> load(
                "general_settings:\n  end_user_budgets: {alice: -3}\n", Map.of("AWS_REGION", "us-east-1")));
        assertTrue(bad.getMessage().contains("general_settings.end_user_budgets.alice"), bad.getMessage());
    }

    @Test
    void envReferencesResolveEverywhereAStringGoes() throws Exception {
        GatewayConfig config = load("""
                model_list:
                  - model_name: os.environ/ALIAS
                    litellm_params:
                      model: os.environ/MODEL
                      aws_region_name: os.environ/REGION
                      rpm: os.environ/RPM
                general_settings:
                  master_key: os.environ/GATEWAY_MASTER_KEY
                  pass_through_unknown_models: os.environ/PASS
                """, Map.of("ALIAS", "claude", "MODEL", "bedrock/anthropic.claude-v2", "REGION", "eu-west-2",
                "RPM", "42", "GATEWAY_MASTER_KEY", "sk-1234", "PASS", "false"));
        Deployment claude = config.routes().candidates("claude").get(0);
        assertEquals("anthropic.claude-v2", claude.upstreamModelId());
        assertEquals("eu-west-2", claude.region());
        assertEquals(42, claude.rpm());
        assertEquals("sk-1234", config.masterKey());
        assertFalse(config.routes().passThroughUnknownModels());
        assertInstanceOf(UpstreamAuth.SigV4.class, claude.auth());
    }

    private static String upstream(GatewayConfig config, String alias) {
        return config.routes().candidates(alias).get(0).upstreamModelId();
    }

    private static String region(GatewayConfig config) {
        return config.routes().candidates("a").get(0).region();
    }
}
