package io.bedrockgateway.fake;

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

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Real AWS SDK v2 clients pointed straight at a fake, with retries off and bounded timeouts. Test support. */
final class SdkClients {
    static final String ACCESS_KEY = "AKIDFAKEBEDROCK00001";
    static final String SECRET = "fake/secret+key/with/slashes";
    static final Region REGION = Region.US_WEST_2;

    private static final Consumer<ClientOverrideConfiguration.Builder> NO_RETRY = o -> o
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(10));

    private SdkClients() {
    }

    static BedrockRuntimeClient runtime(FakeBedrock fake, String accessKey, String secret) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(fake.endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(NO_RETRY)
                .build();
    }

    static BedrockRuntimeClient runtimeWithBearer(FakeBedrock fake, String token) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(fake.endpoint())
                .region(REGION)
                .tokenProvider(StaticTokenProvider.create(() -> token))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(NO_RETRY)
                .build();
    }

    /**
     * The bedrock-runtime async client makes Netty speak HTTP/2 (prior knowledge, h2c on {@code http://}) by
     * default, which an HTTP/1.1 server cannot answer; pinning HTTP/1.1 is required.
     */
    static BedrockRuntimeAsyncClient runtimeAsync(FakeBedrock fake) {
        return BedrockRuntimeAsyncClient.builder()
                .endpointOverride(fake.endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(NO_RETRY)
                .build();
    }

    static BedrockAgentRuntimeAsyncClient agentAsync(FakeBedrock fake) {
        return BedrockAgentRuntimeAsyncClient.builder()
                .endpointOverride(fake.endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(NO_RETRY)
                .build();
    }
}
