package io.bedrockgateway.e2e;

import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.RecordedRequest;
import io.bedrockgateway.fake.RequestMatcher;
import io.bedrockgateway.fake.Usage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveResponse;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real AWS SDK for Java v2 clients, pointed at the gateway, against a fake Bedrock that verifies the
 * gateway's SigV4 signatures the way AWS does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SdkEndToEndTest {
    private static GatewayFixture fixture;
    private static BedrockRuntimeClient runtime;
    private static BedrockRuntimeAsyncClient runtimeAsyncH2;
    private static BedrockRuntimeAsyncClient runtimeAsyncH1;
    private static BedrockAgentRuntimeAsyncClient agent;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start(null);
        runtime = fixture.runtime(GatewayFixture.MASTER_KEY);
        runtimeAsyncH2 = fixture.runtimeAsync(GatewayFixture.MASTER_KEY, Protocol.HTTP2);
        runtimeAsyncH1 = fixture.runtimeAsync(GatewayFixture.MASTER_KEY, Protocol.HTTP1_1);
        agent = fixture.agentAsync(GatewayFixture.MASTER_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable client : new AutoCloseable[]{runtime, runtimeAsyncH2, runtimeAsyncH1, agent}) {
            if (client != null) {
                client.close();
            }
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void reset() {
        fixture.fake.clearFaults();
        fixture.fake.clearRequests();
    }

    private static Message userSays(String text) {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
    }

    private RecordedRequest onlyUpstreamRequest() {
        List<RecordedRequest> requests = fixture.fake.requests();
        assertEquals(1, requests.size(), "upstream requests: " + requests);
        RecordedRequest upstream = requests.get(0);
        assertTrue(upstream.signatureValid(), "upstream signature must verify: " + upstream.authErrorType());
        return upstream;
    }

    @Test
    void converseThroughAnAliasIsResignedWithTheDeploymentsCredentials() {
        ConverseResponse response = runtime.converse(r -> r.modelId("my-claude").messages(userSays("Hello")));
        assertFalse(response.output().message().content().get(0).text().isEmpty());
        assertEquals(Usage.DEFAULT_INPUT_TOKENS, response.usage().inputTokens());

        RecordedRequest upstream = onlyUpstreamRequest();
        assertEquals("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", upstream.rawPath());
        assertEquals(GatewayFixture.GATEWAY_ACCESS_KEY, upstream.accessKeyId());
        assertEquals("us-west-2", upstream.region());
        assertEquals("bedrock", upstream.signingService());
        assertEquals("POST", upstream.method());
    }

    @Test
    void rawModelIdWithColonPassesThroughWithTheDefaultCredentials() {
        runtime.converse(r -> r.modelId("cohere.command-r-v1:0").messages(userSays("Hi")));
        RecordedRequest upstream = onlyUpstreamRequest();
        assertEquals("/model/cohere.command-r-v1%3A0/converse", upstream.rawPath());
        assertEquals(GatewayFixture.DEFAULT_ACCESS_KEY, upstream.accessKeyId());
    }

    @Test
    void inferenceProfileArnGoesUpstreamWithEncodedSlash() {
        runtime.converse(r -> r.modelId("my-profile").messages(userSays("Hi")));
        RecordedRequest upstream = onlyUpstreamRequest();
        assertEquals("/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2F"
                + "us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", upstream.rawPath());
        assertEquals("us-west-2", upstream.region(), "region inferred from the ARN");

        fixture.fake.clearRequests();
        runtime.converse(r -> r.modelId(GatewayFixture.PROFILE_ARN).messages(userSays("Hi")));
        assertEquals(upstream.rawPath(), onlyUpstreamRequest().rawPath(), "a raw ARN from the SDK passes through");
    }

    @Test
    void converseStreamOverH2cAndHttp11() {
        for (BedrockRuntimeAsyncClient client : List.of(runtimeAsyncH2, runtimeAsyncH1)) {
            fixture.fake.clearRequests();
            StringBuilder text = new StringBuilder();
            AtomicReference<ConverseStreamMetadataEvent> metadata = new AtomicReference<>();
            ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                    .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                            .onContentBlockDelta(e -> text.append(e.delta().text()))
                            .onMetadata(metadata::set)
                            .build())
                    .build();
            client.converseStream(r -> r.modelId("my-claude").messages(userSays("Stream please")), handler)
                    .orTimeout(30, TimeUnit.SECONDS).join();
            assertEquals(String.join("", fixture.fake.expectedDeltas()), text.toString());
            assertNotNull(metadata.get(), "metadata event relayed");
            assertEquals(Usage.DEFAULT_OUTPUT_TOKENS, metadata.get().usage().outputTokens());
            assertEquals("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream",
                    onlyUpstreamRequest().rawPath());
        }
    }

    @Test
    void invokeModelAndItsStream() {
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        InvokeModelResponse response = runtime.invokeModel(r -> r.modelId("my-claude")
                .contentType("application/json").accept("application/json").body(SdkBytes.fromUtf8String(body)));
        assertTrue(response.body().asUtf8String().contains("\"usage\""), response.body().asUtf8String());
        assertEquals(body, onlyUpstreamRequest().bodyAsString(), "body forwarded byte for byte");

        fixture.fake.clearRequests();
        List<String> chunks = Collections.synchronizedList(new ArrayList<>());
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                        .onChunk(c -> chunks.add(c.bytes().asUtf8String()))
                        .build())
                .build();
        runtimeAsyncH2.invokeModelWithResponseStream(r -> r.modelId("my-claude").contentType("application/json")
                .body(SdkBytes.fromUtf8String(body)), handler).orTimeout(30, TimeUnit.SECONDS).join();
        assertTrue(chunks.size() >= 3, "chunks: " + chunks);
        assertTrue(chunks.get(0).contains("message_start"), chunks.get(0));
        assertTrue(chunks.get(chunks.size() - 1).contains("amazon-bedrock-invocationMetrics"));
    }

    @Test
    void guardrailAndCountTokens() {
        ApplyGuardrailResponse guardrail = runtime.applyGuardrail(r -> r.guardrailIdentifier("gr-abc123")
                .guardrailVersion("1").source(GuardrailContentSource.INPUT)
                .content(GuardrailContentBlock.fromText(GuardrailTextBlock.builder().text("hello").build())));
        assertNotNull(guardrail.actionAsString());
        assertEquals("/guardrail/gr-abc123/version/1/apply", onlyUpstreamRequest().rawPath());

        fixture.fake.clearRequests();
        CountTokensResponse count = runtime.countTokens(r -> r.modelId("my-claude")
                .input(i -> i.converse(c -> c.messages(userSays("count me")))));
        assertTrue(count.inputTokens() > 0);
        assertEquals("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/count-tokens",
                onlyUpstreamRequest().rawPath());
    }

    @Test
    void agentRuntimeRetrieveAndInvokeAgentWithTheKeyAsSigV4AccessKey() {
        RetrieveResponse retrieved = agent.retrieve(r -> r.knowledgeBaseId("KB12345678")
                .retrievalQuery(q -> q.text("what is bedrock"))).orTimeout(30, TimeUnit.SECONDS).join();
        assertFalse(retrieved.retrievalResults().isEmpty());
        RecordedRequest upstream = onlyUpstreamRequest();
        assertEquals("/knowledgebases/KB12345678/retrieve", upstream.rawPath());
        assertEquals(GatewayFixture.DEFAULT_ACCESS_KEY, upstream.accessKeyId());

        fixture.fake.clearRequests();
        StringBuilder answer = new StringBuilder();
        InvokeAgentResponseHandler handler = InvokeAgentResponseHandler.builder()
                .subscriber(InvokeAgentResponseHandler.Visitor.builder()
                        .onChunk(c -> answer.append(c.bytes().asUtf8String()))
                        .build())
                .build();
        agent.invokeAgent(r -> r.agentId("AGENT12345").agentAliasId("ALIAS12345").sessionId("session-1")
                .inputText("hello agent"), handler).orTimeout(30, TimeUnit.SECONDS).join();
        assertFalse(answer.toString().isEmpty());
        assertEquals("/agents/AGENT12345/agentAliases/ALIAS12345/sessions/session-1/text",
                onlyUpstreamRequest().rawPath());
    }

    @Test
    void twoDeploymentsInTwoRegionsShareTheLoad() {
        Map<String, AtomicInteger> byRegion = new ConcurrentHashMap<>();
        for (int i = 0; i < 60; i++) {
            runtime.converse(r -> r.modelId("two-regions").messages(userSays("spread")));
        }
        for (RecordedRequest upstream : fixture.fake.requests()) {
            assertTrue(upstream.signatureValid());
            byRegion.computeIfAbsent(upstream.region(), k -> new AtomicInteger()).incrementAndGet();
        }
        assertEquals(2, byRegion.size(), "regions used: " + byRegion);
        String health = httpGet(fixture.gateway.baseUrl() + "/health");
        assertTrue(health.contains("\"deployment\":\"two-regions/0\"") && health.contains("\"two-regions/1\""),
                health);
        assertTrue(health.contains("\"routing_strategy\":\"simple-shuffle\""), health);
        assertTrue(byRegion.get("us-east-1").get() >= 10 && byRegion.get("eu-west-1").get() >= 10,
                "both regions get a share: " + byRegion);
    }

    @Test
    void upstreamValidationAndThrottlingSurfaceAsTheirSdkTypes() {
        fixture.fake.addFault(RequestMatcher.any(), Fault.validation("messages: field required"), 1);
        ValidationException validation = assertThrows(ValidationException.class,
                () -> runtime.converse(r -> r.modelId("my-claude").messages(userSays("x"))));
        assertEquals(400, validation.statusCode());
        assertTrue(validation.getMessage().contains("messages: field required"), validation.getMessage());

        fixture.fake.addFault(RequestMatcher.any(), Fault.throttling(), 1);
        ThrottlingException throttled = assertThrows(ThrottlingException.class,
                () -> runtime.converse(r -> r.modelId("my-claude").messages(userSays("x"))));
        assertEquals(429, throttled.statusCode());
        assertNotNull(throttled.requestId(), "upstream request id relayed");
    }

    @Test
    void wrongKeyIsDeniedAndNothingReachesUpstream() {
        try (BedrockRuntimeClient stranger = fixture.runtime("sk-not-a-gateway-key")) {
            AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                    () -> stranger.converse(r -> r.modelId("my-claude").messages(userSays("x"))));
            assertEquals(403, denied.statusCode());
        }
        try (BedrockAgentRuntimeAsyncClient stranger = fixture.agentAsync("sk-not-a-gateway-key")) {
            CompletionException failure = assertThrows(CompletionException.class, () -> stranger
                    .retrieve(r -> r.knowledgeBaseId("KB12345678").retrievalQuery(q -> q.text("x"))).join());
            assertInstanceOf(software.amazon.awssdk.services.bedrockagentruntime.model.AccessDeniedException.class,
                    failure.getCause());
        }
        assertTrue(fixture.fake.requests().isEmpty(), "nothing reached upstream");
    }

    @Test
    void upstreamRejectionOfAPassedThroughIdIsRelayed() {
        fixture.fake.unknownModels("nonexistent.model-v9:0");
        ValidationException invalid = assertThrows(ValidationException.class,
                () -> runtime.converse(r -> r.modelId("nonexistent.model-v9:0").messages(userSays("x"))));
        assertTrue(invalid.getMessage().contains("model identifier"), invalid.getMessage());
    }

    @Test
    void midStreamFailureRaisesInTheSdkInsteadOfHangingOrSucceeding() {
        // Frames arrive over time, then the connection dies without the terminating chunk.
        fixture.fake.addFault(RequestMatcher.streaming(),
                Fault.slowStream(Duration.ofMillis(30)).and(Fault.cutAfterFrames(3)), 1);
        StringBuilder text = new StringBuilder();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(e -> text.append(e.delta().text()))
                        .build())
                .build();
        CompletionException failure = assertThrows(CompletionException.class, () -> runtimeAsyncH2
                .converseStream(r -> r.modelId("my-claude").messages(userSays("x")), handler)
                .orTimeout(30, TimeUnit.SECONDS).join());
        Throwable cause = failure.getCause();
        assertInstanceOf(SdkException.class, cause, "SDK raised: " + cause);
        assertTrue(String.valueOf(cause.getMessage()).contains("upstream"), String.valueOf(cause.getMessage()));
        assertFalse(String.valueOf(text).isEmpty(), "the frames before the cut were relayed");
    }

    private static String httpGet(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
