package io.bedrockgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockgateway.fake.FakeBedrock;
import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.FaultRule;
import io.bedrockgateway.fake.RecordedRequest;
import io.bedrockgateway.fake.RequestMatcher;
import io.bedrockgateway.testing.NodeSdk;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The built WAR deployed in some servlet container at {@code base} (its context root, ending in {@code /}), with
 * {@link #writeConfig} as its config and {@code fake} as its upstream; and the checks every container must pass,
 * made with the real AWS SDK. Immutable; the fake is shared with the test that owns it.
 */
record DeployedGateway(URI base, FakeBedrock fake) {
    static final String MASTER_KEY = "sk-deployed-master";
    static final String ACCESS_KEY_ID = "AKIDDEPLOYEDWAR00001";
    static final String SECRET_KEY = "deployed/secret+for/the-fake";

    /** A fake upstream that accepts the config's credentials, started on a free port. */
    static FakeBedrock startFake() {
        FakeBedrock fake = new FakeBedrock().addCredentials(ACCESS_KEY_ID, SECRET_KEY);
        fake.start();
        return fake;
    }

    /** Writes a gateway config into {@code dir}: alias {@code my-claude} on {@code fake}, H2 under {@code dir}. */
    static Path writeConfig(Path dir, FakeBedrock fake) throws IOException {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: my-claude
                    litellm_params:
                      model: bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0
                      aws_region_name: us-west-2
                      aws_access_key_id: %s
                      aws_secret_access_key: %s
                      aws_bedrock_runtime_endpoint: %s
                general_settings:
                  master_key: %s
                  database_path: %s
                """.formatted(ACCESS_KEY_ID, SECRET_KEY, fake.endpoint(), MASTER_KEY,
                dir.resolve("data").toAbsolutePath()));
        return config;
    }

    URI uri(String relative) {
        return base.resolve(relative);
    }

    /** SDK converse with the master key; the fake checks the gateway's own SigV4 signature. */
    void converseIsReSignedForTheUpstream() {
        fake.clearRequests();
        try (BedrockRuntimeClient client = runtime(MASTER_KEY)) {
            ConverseResponse response = client.converse(r -> r.modelId("my-claude").messages(hi()));
            assertTrue(response.usage().inputTokens() > 0, response.toString());
        }
        RecordedRequest upstream = fake.requests().get(0);
        assertTrue(upstream.signatureValid(), upstream.authErrorType());
        assertEquals("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", upstream.rawPath());
    }

    /** SDK converse-stream over HTTP/1.1: every delta, and the one metadata event with the usage. */
    void converseStreamArrivesWhole() {
        StringBuilder text = new StringBuilder();
        List<Integer> outputTokens = new CopyOnWriteArrayList<>();
        try (BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(uri("bedrock"))
                .region(Region.US_WEST_2)
                .tokenProvider(StaticTokenProvider.create(() -> MASTER_KEY))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .build()) {
            client.converseStream(r -> r.modelId("my-claude").messages(hi()),
                    ConverseStreamResponseHandler.builder().subscriber(ConverseStreamResponseHandler.Visitor.builder()
                            .onContentBlockDelta(e -> text.append(e.delta().text()))
                            .onMetadata(m -> outputTokens.add(m.usage().outputTokens()))
                            .build()).build())
                    .orTimeout(30, TimeUnit.SECONDS).join();
        }
        assertEquals(String.join("", fake.expectedDeltas()), text.toString());
        assertEquals(1, outputTokens.size(), "one metadata event, with the usage");
    }

    /** An unknown key: the SDK's own AccessDeniedException, and nothing reaches the upstream. */
    void unknownKeyIsRefused() {
        fake.clearRequests();
        try (BedrockRuntimeClient client = runtime("sk-not-a-key")) {
            AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                    () -> client.converse(r -> r.modelId("my-claude").messages(hi())));
            assertEquals(403, denied.statusCode());
        }
        assertEquals(List.of(), fake.requests(), "nothing reached the upstream");
    }

    /** Readiness and the deployment report, under the context path. */
    void healthAnswers() throws IOException, InterruptedException {
        HttpResponse<String> ready = HttpProbe.get(uri("health/readiness"));
        assertEquals(200, ready.statusCode(), ready.body());
        HttpResponse<String> health = HttpProbe.get(uri("health"));
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"upstream_connections\""), health.body());
    }

    /** An inference-profile ARN keeps its {@code %2F} through the container (it answers, and not with 400). */
    void encodedSlashReachesTheGateway() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpProbe.get(uri(HttpProbe.ARN_CONVERSE_PATH.substring(1)));
        assertNotEquals(400, response.statusCode(), "the container rejected %2F: " + response.body());
    }

    /**
     * The JavaScript SDK's ConverseStream over h2c, {@code calls} times, with the fake's frames 20 ms apart: the SDK
     * sends {@code GOAWAY} on each call's own connection as the response head arrives, so it lands while the stream
     * is still open. Skips the test where {@code node} or {@code npm} is missing.
     */
    static JsStreams javaScriptSdkStreams(URI bedrock, String key, FakeBedrock fake, int calls) throws IOException {
        assumeTrue(NodeSdk.available(), "node and npm are not on the PATH");
        NodeSdk.install();
        FaultRule slow = fake.addFault(RequestMatcher.streaming(), Fault.slowStream(Duration.ofMillis(20)),
                FaultRule.ALWAYS);
        try {
            NodeSdk.Result run = NodeSdk.node("streams.mjs", List.of(bedrock.toString(), "my-claude",
                    String.valueOf(calls)), Map.of("AWS_BEARER_TOKEN_BEDROCK", key), 120);
            assertEquals(0, run.exit(), run.output());
            JsonNode result = new ObjectMapper().readTree(run.lastJsonLine());
            return new JsStreams(result.path("whole").asInt(), result.path("cut").asInt(),
                    result.path("errors").toString());
        } finally {
            slow.remove();
        }
    }

    /** How the JavaScript SDK's streams ended: with their metadata event, early without an error, or in an error. */
    record JsStreams(int whole, int cut, String errors) {
    }

    private BedrockRuntimeClient runtime(String key) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(uri("bedrock"))
                .region(Region.US_WEST_2)
                .tokenProvider(StaticTokenProvider.create(() -> key))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    private static Message hi() {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build();
    }
}
