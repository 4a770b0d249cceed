package io.bedrockgateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailResponse;
import software.amazon.awssdk.services.bedrockruntime.model.AsyncInvokeStatus;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.GetAsyncInvokeResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAction;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ListAsyncInvokesResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SortOrder;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bedrock-runtime through the real SDK v2 clients (sync Apache 5, async Netty) pointed straight at the fake. */
class FakeBedrockTest {
    static final String PLAIN_ID = "amazon.nova-lite-v1";
    static final String COLON_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    static final String PROFILE_ARN =
            "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeBedrock fake;
    private static BedrockRuntimeClient sync;
    private static BedrockRuntimeAsyncClient async;

    @BeforeAll
    static void start() {
        fake = new FakeBedrock().addCredentials(SdkClients.ACCESS_KEY, SdkClients.SECRET);
        fake.start();
        sync = SdkClients.runtime(fake, SdkClients.ACCESS_KEY, SdkClients.SECRET);
        async = SdkClients.runtimeAsync(fake);
    }

    @AfterAll
    static void stop() {
        sync.close();
        async.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.clearRequests();
        fake.clearFaults();
    }

    @ParameterizedTest
    @ValueSource(strings = {PLAIN_ID, COLON_ID, PROFILE_ARN})
    void converseVerifiesForEveryModelIdShape(String modelId) {
        ConverseResponse response = sync.converse(r -> r.modelId(modelId).messages(userMessage("Hi")));

        assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, response.output().message().content().get(0).text());
        assertEquals(StopReason.END_TURN, response.stopReason());
        TokenUsage usage = response.usage();
        assertEquals(Usage.DEFAULT_INPUT_TOKENS, usage.inputTokens());
        assertEquals(Usage.DEFAULT_OUTPUT_TOKENS, usage.outputTokens());
        assertEquals(Usage.DEFAULT_CACHE_READ_TOKENS, usage.cacheReadInputTokens());
        assertEquals(Usage.DEFAULT_CACHE_WRITE_TOKENS, usage.cacheWriteInputTokens());
        assertEquals(Usage.DEFAULT.totalTokens(), usage.totalTokens());
        assertEquals(FakeBedrock.DEFAULT_LATENCY_MS, response.metrics().latencyMs());

        RecordedRequest recorded = fake.lastRequest();
        assertTrue(recorded.signatureValid());
        assertEquals("Converse", recorded.operation());
        assertEquals(modelId, recorded.modelId());
        assertEquals("/model/" + modelId.replace(":", "%3A").replace("/", "%2F") + "/converse", recorded.target());
        assertEquals("us-west-2", recorded.region());
        assertEquals(SdkClients.ACCESS_KEY, recorded.accessKeyId());
        assertEquals("bedrock", recorded.signingService());
        assertEquals(response.responseMetadata().requestId(), recorded.requestId());
    }

    @Test
    void converseStreamCarriesDeltasAndUsage() throws Exception {
        fake.usage(7, 11, 0, 3).streamDeltas(5);
        try {
            List<String> texts = new CopyOnWriteArrayList<>();
            AtomicReference<ConverseStreamMetadataEvent> metadata = new AtomicReference<>();
            AtomicReference<String> stop = new AtomicReference<>();
            ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                    .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                            .onContentBlockDelta(e -> texts.add(e.delta().text()))
                            .onMessageStop(e -> stop.set(e.stopReasonAsString()))
                            .onMetadata(metadata::set)
                            .build())
                    .build();
            async.converseStream(r -> r.modelId(COLON_ID).messages(userMessage("Hi")), handler)
                    .get(10, TimeUnit.SECONDS);

            assertEquals(fake.expectedDeltas(), texts);
            assertEquals(5, texts.size());
            assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, String.join("", texts));
            assertEquals("end_turn", stop.get());
            TokenUsage usage = metadata.get().usage();
            assertEquals(7, usage.inputTokens());
            assertEquals(11, usage.outputTokens());
            assertEquals(21, usage.totalTokens());
            assertEquals(null, usage.cacheReadInputTokens());
            assertEquals(3, usage.cacheWriteInputTokens());
            assertEquals(FakeBedrock.DEFAULT_LATENCY_MS, metadata.get().metrics().latencyMs());
            assertTrue(fake.lastRequest().signatureValid());
            assertEquals(RecordedRequest.Outcome.COMPLETED, fake.lastRequest().outcome());
        } finally {
            fake.usage(Usage.DEFAULT).streamDeltas(FakeBedrock.DEFAULT_STREAM_DELTAS);
        }
    }

    @Test
    void invokeModelReturnsAnthropicBodyAndTokenHeaders() throws Exception {
        InvokeModelResponse response = sync.invokeModel(r -> r.modelId(PROFILE_ARN)
                .contentType("application/json").accept("application/json")
                .body(SdkBytes.fromUtf8String(anthropicRequest())));

        JsonNode body = JSON.readTree(response.body().asUtf8String());
        assertEquals("message", body.get("type").asText());
        assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, body.at("/content/0/text").asText());
        assertEquals(Usage.DEFAULT_INPUT_TOKENS, body.at("/usage/input_tokens").asInt());
        assertEquals(Usage.DEFAULT_OUTPUT_TOKENS, body.at("/usage/output_tokens").asInt());
        assertEquals(Usage.DEFAULT_CACHE_READ_TOKENS, body.at("/usage/cache_read_input_tokens").asInt());
        assertEquals(Usage.DEFAULT_CACHE_WRITE_TOKENS, body.at("/usage/cache_creation_input_tokens").asInt());
        assertEquals("application/json", response.contentType());
        var http = response.sdkHttpResponse();
        assertEquals(String.valueOf(Usage.DEFAULT_INPUT_TOKENS),
                http.firstMatchingHeader("X-Amzn-Bedrock-Input-Token-Count").orElseThrow());
        assertEquals(String.valueOf(Usage.DEFAULT_OUTPUT_TOKENS),
                http.firstMatchingHeader("X-Amzn-Bedrock-Output-Token-Count").orElseThrow());
        assertEquals(String.valueOf(FakeBedrock.DEFAULT_LATENCY_MS),
                http.firstMatchingHeader("X-Amzn-Bedrock-Invocation-Latency").orElseThrow());
        assertTrue(fake.lastRequest().signatureValid());
    }

    @Test
    void invokeModelWithResponseStreamCarriesAnthropicEventsInChunks() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                        .onChunk(chunk -> events.add(readJson(chunk.bytes().asUtf8String())))
                        .build())
                .build();
        async.invokeModelWithResponseStream(r -> r.modelId(COLON_ID)
                .body(SdkBytes.fromUtf8String(anthropicRequest())), handler).get(10, TimeUnit.SECONDS);

        List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"),
                types);
        assertEquals(Usage.DEFAULT_INPUT_TOKENS, events.get(0).at("/message/usage/input_tokens").asInt());
        String text = events.stream().filter(e -> e.get("type").asText().equals("content_block_delta"))
                .map(e -> e.at("/delta/text").asText()).reduce("", String::concat);
        assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, text);
        assertEquals(Usage.DEFAULT_OUTPUT_TOKENS, events.get(7).at("/usage/output_tokens").asInt());
        JsonNode metrics = events.get(8).get("amazon-bedrock-invocationMetrics");
        assertEquals(Usage.DEFAULT_INPUT_TOKENS, metrics.get("inputTokenCount").asInt());
        assertEquals(Usage.DEFAULT_OUTPUT_TOKENS, metrics.get("outputTokenCount").asInt());
        assertEquals(FakeBedrock.DEFAULT_LATENCY_MS, metrics.get("invocationLatency").asInt());
        assertEquals(FakeBedrock.DEFAULT_FIRST_BYTE_LATENCY_MS, metrics.get("firstByteLatency").asInt());
    }

    @Test
    void applyGuardrailAndCountTokens() {
        ApplyGuardrailResponse pass = sync.applyGuardrail(r -> r.guardrailIdentifier("gr-abc123")
                .guardrailVersion("DRAFT").source(GuardrailContentSource.INPUT)
                .content(GuardrailContentBlock.builder().text(t -> t.text("hello")).build()));
        assertEquals(GuardrailAction.NONE, pass.action());
        assertEquals(1, pass.usage().topicPolicyUnits());
        ApplyGuardrailResponse blocked = sync.applyGuardrail(r -> r.guardrailIdentifier("gr-abc123")
                .guardrailVersion("3").source(GuardrailContentSource.OUTPUT)
                .content(GuardrailContentBlock.builder().text(t -> t.text(RuntimeResources.GUARDRAIL_TRIGGER)).build()));
        assertEquals(GuardrailAction.GUARDRAIL_INTERVENED, blocked.action());
        assertFalse(blocked.outputs().isEmpty());

        int tokens = sync.countTokens(r -> r.modelId(COLON_ID)
                .input(i -> i.converse(c -> c.messages(userMessage("count me"))))).inputTokens();
        assertEquals(Usage.DEFAULT_INPUT_TOKENS, tokens);
        assertTrue(fake.requests().stream().allMatch(RecordedRequest::signatureValid));
    }

    @Test
    void asyncInvokeLifecycleWithQueryParameters() {
        String arn = sync.startAsyncInvoke(r -> r.modelId("amazon.nova-reel-v1:0")
                .modelInput(Document.mapBuilder().putString("taskType", "TEXT_VIDEO").build())
                .outputDataConfig(o -> o.s3OutputDataConfig(s -> s.s3Uri("s3://bucket/out")))).invocationArn();
        GetAsyncInvokeResponse job = sync.getAsyncInvoke(r -> r.invocationArn(arn));
        assertEquals(arn, job.invocationArn());
        assertEquals(AsyncInvokeStatus.IN_PROGRESS, job.status());
        assertNotNull(job.submitTime());
        assertTrue(fake.lastRequest().target().startsWith("/async-invoke/arn%3Aaws%3Abedrock%3Aus-west-2%3A"));

        ListAsyncInvokesResponse list = sync.listAsyncInvokes(r -> r.maxResults(10)
                .statusEquals(AsyncInvokeStatus.IN_PROGRESS).sortOrder(SortOrder.ASCENDING)
                .submitTimeAfter(Instant.parse("2020-01-01T00:00:00Z")));
        assertTrue(list.asyncInvokeSummaries().stream().anyMatch(s -> s.invocationArn().equals(arn)));
        RecordedRequest listed = fake.lastRequest();
        assertTrue(listed.rawQuery().contains("submitTimeAfter="), listed.rawQuery());
        assertTrue(fake.requests().stream().allMatch(RecordedRequest::signatureValid));
    }

    @Test
    void bearerTokenIsAcceptedWhenConfigured() {
        fake.addBearerToken("bedrock-api-key-fake");
        try (BedrockRuntimeClient bearer = SdkClients.runtimeWithBearer(fake, "bedrock-api-key-fake");
             BedrockRuntimeClient wrong = SdkClients.runtimeWithBearer(fake, "nope")) {
            bearer.converse(r -> r.modelId(COLON_ID).messages(userMessage("Hi")));
            assertEquals(RecordedRequest.AuthType.BEARER, fake.lastRequest().authType());
            assertTrue(fake.lastRequest().signatureValid());
            BedrockRuntimeException e = assertThrows(BedrockRuntimeException.class,
                    () -> wrong.converse(r -> r.modelId(COLON_ID).messages(userMessage("Hi"))));
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void wrongSecretFailsWithInvalidSignature() {
        try (BedrockRuntimeClient wrong = SdkClients.runtime(fake, SdkClients.ACCESS_KEY, "not-the-secret")) {
            BedrockRuntimeException e = assertThrows(BedrockRuntimeException.class,
                    () -> wrong.converse(r -> r.modelId(COLON_ID).messages(userMessage("Hi"))));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
            assertTrue(e.getMessage().contains("/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse"),
                    e.getMessage());
            assertFalse(fake.lastRequest().signatureValid());
            assertEquals("InvalidSignatureException", fake.lastRequest().authErrorType());
        }
        try (BedrockRuntimeClient unknown = SdkClients.runtime(fake, "AKIDUNKNOWN", SdkClients.SECRET)) {
            BedrockRuntimeException e = assertThrows(BedrockRuntimeException.class,
                    () -> unknown.converse(r -> r.modelId(COLON_ID).messages(userMessage("Hi"))));
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void validationErrorsUseBedrockShapes() {
        ValidationException noMessages = assertThrows(ValidationException.class,
                () -> sync.converse(r -> r.modelId(COLON_ID)));
        assertTrue(noMessages.getMessage().contains("messages"));
        fake.unknownModels("anthropic.claude-nonexistent-v9:0");
        ValidationException badModel = assertThrows(ValidationException.class,
                () -> sync.converse(r -> r.modelId("anthropic.claude-nonexistent-v9:0").messages(userMessage("x"))));
        assertTrue(badModel.getMessage().startsWith("The provided model identifier is invalid."));
        assertThrows(ValidationException.class,
                () -> sync.converse(r -> r.modelId("not a model!").messages(userMessage("x"))));
        ValidationException noVersion = assertThrows(ValidationException.class, () -> sync.invokeModel(r -> r
                .modelId(COLON_ID).body(SdkBytes.fromUtf8String("{\"messages\":[]}"))));
        assertEquals("Malformed input request: #: required key [anthropic_version] not found, please reformat your "
                + "input and try again.", noVersion.awsErrorDetails().errorMessage());
        assertEquals("message", readJson(sync.invokeModel(r -> r.modelId("amazon.titan-text-express-v1")
                .body(SdkBytes.fromUtf8String("{\"inputText\":\"Hi\"}"))).body().asUtf8String()).get("type").asText());
    }

    static Message userMessage(String text) {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
    }

    static String anthropicRequest() {
        return "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
