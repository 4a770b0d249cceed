package io.bedrockgateway.e2e;

import io.bedrockgateway.fake.FakeBedrock;
import io.bedrockgateway.testing.GatewayServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A fake Bedrock on port 0 and the gateway in front of it, with the real AWS SDK v2 clients pointed at the
 * gateway. The gateway signs with its own credentials ({@link #GATEWAY_ACCESS_KEY}); clients only know
 * {@link #MASTER_KEY}. Test support; one instance per test class.
 */
final class GatewayFixture implements AutoCloseable {
    static final String MASTER_KEY = "sk-e2e-master-key-0123456789";
    static final String GATEWAY_ACCESS_KEY = "AKIDGATEWAYDEPLOY001";
    static final String GATEWAY_SECRET = "gateway/secret+for/deployments";
    static final String DEFAULT_ACCESS_KEY = "AKIDGATEWAYDEFAULT01";
    static final String DEFAULT_SECRET = "gateway/default+chain/secret";
    static final String CLAUDE_ID = "us.anthropic.claude-3-5-sonnet-20240620-v1:0";
    static final String PROFILE_ARN =
            "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0";

    /** System properties the gateway's environment lookups and the SDK default chain read. */
    private static final Map<String, String> DEFAULT_CHAIN = Map.of(
            "aws.accessKeyId", DEFAULT_ACCESS_KEY,
            "aws.secretAccessKey", DEFAULT_SECRET,
            "AWS_REGION", "us-west-2");

    private static final Consumer<ClientOverrideConfiguration.Builder> NO_RETRY = o -> o
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(20));

    final FakeBedrock fake;
    GatewayServer gateway;
    final Path configFile;
    final Path dataDirectory;

    private GatewayFixture(FakeBedrock fake, GatewayServer gateway, Path configFile, Path dataDirectory) {
        this.fake = fake;
        this.gateway = gateway;
        this.configFile = configFile;
        this.dataDirectory = dataDirectory;
    }

    /** Stops the gateway (writing its queued spend) and starts it again with the same config and database. */
    void restartGateway() {
        gateway.close();
        gateway = GatewayServer.start(configFile);
    }

    /** Starts both with the standard config plus {@code extraModels} (YAML list items, indented by two). */
    static GatewayFixture start(String extraModels) throws IOException {
        return start(endpoint -> extraModels == null ? "" : extraModels, "");
    }

    /**
     * @param extraModels     more {@code model_list} items, given the fake's endpoint URL
     * @param generalSettings more {@code general_settings} lines, indented by two
     */
    static GatewayFixture start(java.util.function.Function<String, String> extraModels, String generalSettings)
            throws IOException {
        FakeBedrock fake = new FakeBedrock()
                .addCredentials(GATEWAY_ACCESS_KEY, GATEWAY_SECRET)
                .addCredentials(DEFAULT_ACCESS_KEY, DEFAULT_SECRET);
        fake.start();
        String endpoint = "http://127.0.0.1:" + fake.port();
        DEFAULT_CHAIN.forEach(System::setProperty);
        System.setProperty("AWS_ENDPOINT_URL", endpoint);
        String config = """
                model_list:
                  - model_name: my-claude
                    litellm_params:
                      model: bedrock/%1$s
                      aws_region_name: us-west-2
                      aws_access_key_id: %2$s
                      aws_secret_access_key: "%3$s"
                      aws_bedrock_runtime_endpoint: %4$s
                  - model_name: my-profile
                    litellm_params:
                      model: bedrock/converse/%5$s
                      aws_access_key_id: %2$s
                      aws_secret_access_key: "%3$s"
                      aws_bedrock_runtime_endpoint: %4$s
                  - model_name: two-regions
                    litellm_params:
                      model: bedrock/%1$s
                      aws_region_name: us-east-1
                      aws_access_key_id: %2$s
                      aws_secret_access_key: "%3$s"
                      aws_bedrock_runtime_endpoint: %4$s
                  - model_name: two-regions
                    litellm_params:
                      model: bedrock/%1$s
                      aws_region_name: eu-west-1
                      aws_access_key_id: %2$s
                      aws_secret_access_key: "%3$s"
                      aws_bedrock_runtime_endpoint: %4$s
                %6$s
                general_settings:
                  master_key: %7$s
                %8$s
                """.formatted(CLAUDE_ID, GATEWAY_ACCESS_KEY, GATEWAY_SECRET, endpoint, PROFILE_ARN,
                extraModels.apply(endpoint), MASTER_KEY, generalSettings);
        Path file = Files.createTempFile("gateway-e2e-", ".yaml");
        Path data = Files.createTempDirectory("gateway-e2e-data-");
        config = config.replace("general_settings:\n", "general_settings:\n  database_path: \"" + data
                + "\"\n  proxy_batch_write_at: 0.2\n");
        Files.writeString(file, config);
        try {
            return new GatewayFixture(fake, GatewayServer.start(file), file, data);
        } catch (RuntimeException e) {
            fake.close();
            throw e;
        }
    }

    URI bedrockEndpoint() {
        return URI.create(gateway.baseUrl() + "/bedrock");
    }

    /** Sync runtime client using bearer-token auth with {@code key}, as AWS_BEARER_TOKEN_BEDROCK does. */
    BedrockRuntimeClient runtime(String key) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(bedrockEndpoint())
                .region(Region.US_WEST_2)
                .tokenProvider(StaticTokenProvider.create(() -> key))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(NO_RETRY)
                .build();
    }

    /**
     * Async runtime client with bearer auth. With {@code protocol} HTTP2 Netty speaks h2c with prior knowledge,
     * which is the SDK's default for an http:// bedrock-runtime endpoint.
     */
    BedrockRuntimeAsyncClient runtimeAsync(String key, Protocol protocol) {
        return BedrockRuntimeAsyncClient.builder()
                .endpointOverride(bedrockEndpoint())
                .region(Region.US_WEST_2)
                .tokenProvider(StaticTokenProvider.create(() -> key))
                .authSchemeProvider(
                        software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider
                                .defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(protocol))
                .overrideConfiguration(NO_RETRY)
                .build();
    }

    /** Agent runtime speaks SigV4 only: the gateway key goes in the access-key-id position. */
    BedrockAgentRuntimeAsyncClient agentAsync(String key) {
        return BedrockAgentRuntimeAsyncClient.builder()
                .endpointOverride(bedrockEndpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key, "the-gateway-ignores-this-secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(NO_RETRY)
                .build();
    }

    @Override
    public void close() throws IOException {
        try {
            gateway.close();
        } finally {
            fake.close();
            DEFAULT_CHAIN.keySet().forEach(System::clearProperty);
            System.clearProperty("AWS_ENDPOINT_URL");
            Files.deleteIfExists(configFile);
        }
    }
}
