package io.bedrockgateway.e2e;

import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.FaultRule;
import io.bedrockgateway.fake.RecordedRequest;
import io.bedrockgateway.fake.RequestMatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retries on another deployment before any byte reached the client, fallbacks to another alias, Retry-After and
 * timeouts, through the real SDK (its own retries off) against the fake Bedrock. Deployments of one alias sit in
 * different regions of the one fake, so a fault can target one of them by region. Cooldown is out of the way here
 * ({@code allowed_fails} is high); {@link CooldownTest} covers it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetryAndFallbackTest {
    static final List<String> TRI = List.of("ap-south-1", "ap-northeast-1", "sa-east-1");
    private static GatewayFixture fixture;
    private static BedrockRuntimeClient runtime;
    private static BedrockRuntimeAsyncClient async;
    private static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start(endpoint -> deployment("tri", TRI.get(0), endpoint, "")
                        + deployment("tri", TRI.get(1), endpoint, "")
                        + deployment("tri", TRI.get(2), endpoint, "")
                        + deployment("quick", "eu-west-3", endpoint, "      timeout: 1\n")
                        + deployment("quick", "eu-south-1", endpoint, "      timeout: 1\n")
                        + deployment("slowpoke", "me-south-1", endpoint, "      timeout: 1\n")
                        + deployment("streamy", "eu-central-2", endpoint, "      stream_timeout: 1\n")
                        + deployment("streamy", "ap-east-1", endpoint, "      stream_timeout: 1\n")
                        + deployment("streamy-solo", "ap-southeast-3", endpoint, "      stream_timeout: 1\n")
                        + deployment("half-dead", "us-gov-west-1", "http://127.0.0.1:" + closedPort(), "")
                        + deployment("half-dead", "us-gov-east-1", endpoint, "")
                        + deployment("primary", "ca-central-1", endpoint, "")
                        + deployment("backup", "eu-north-1", endpoint, ""),
                """
                  pass_through_unknown_models: false
                router_settings:
                  num_retries: 2
                  allowed_fails: 1000
                  fallbacks: [{primary: [backup]}]
                  sticky_by: "header:x-session-id"
                """);
        runtime = fixture.runtime(GatewayFixture.MASTER_KEY);
        async = fixture.runtimeAsync(GatewayFixture.MASTER_KEY, Protocol.HTTP1_1);
        admin = new AdminClient(fixture.gateway.baseUrl());
    }

    static String deployment(String alias, String region, String endpoint, String extra) {
        return """
                  - model_name: %s
                    litellm_params:
                      model: bedrock/%s
                      aws_region_name: %s
                      aws_access_key_id: %s
                      aws_secret_access_key: "%s"
                      aws_bedrock_runtime_endpoint: %s
                %s""".formatted(alias, GatewayFixture.CLAUDE_ID, region, GatewayFixture.GATEWAY_ACCESS_KEY,
                GatewayFixture.GATEWAY_SECRET, endpoint, extra);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{runtime, async, fixture}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @AfterEach
    void clean() {
        fixture.fake.clearFaults();
        fixture.fake.clearRequests();
    }

    static Message hi() {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build();
    }

    static ConverseResponse converse(BedrockRuntimeClient client, String alias) {
        return client.converse(r -> r.modelId(alias).messages(hi()));
    }

    private static List<String> regionsCalled() {
        return fixture.fake.requests().stream().map(RecordedRequest::region).toList();
    }

    @Test
    void aThrottledDeploymentIsInvisibleToClients() {
        fixture.fake.addFault(RequestMatcher.region(TRI.get(0)), Fault.throttling(), FaultRule.ALWAYS);
        for (int i = 0; i < 30; i++) {
            assertFalse(converse(runtime, "tri").output().message().content().isEmpty());
        }
        long throttled = regionsCalled().stream().filter(TRI.get(0)::equals).count();
        assertTrue(throttled > 0, "the throttled deployment was tried: " + regionsCalled());
        assertEquals(30 + throttled, fixture.fake.requests().size(), "each 429 cost exactly one retry");
    }

    @Test
    void whenEveryDeploymentThrottlesTheClientSeesThrottlingAfterOneTryEach() {
        fixture.fake.addFault(RequestMatcher.any(), Fault.throttling(), FaultRule.ALWAYS);
        ThrottlingException throttled = assertThrows(ThrottlingException.class, () -> converse(runtime, "tri"));
        assertEquals(429, throttled.statusCode());
        assertEquals(new HashSet<>(TRI), new HashSet<>(regionsCalled()),
                "num_retries 2: one attempt on each of the three deployments, none twice");
    }

    @Test
    void aValidationErrorIsNeverRetried() {
        fixture.fake.addFault(RequestMatcher.any(), Fault.validation("messages: malformed"), FaultRule.ALWAYS);
        ValidationException invalid = assertThrows(ValidationException.class, () -> converse(runtime, "tri"));
        assertTrue(invalid.getMessage().contains("malformed"), invalid.getMessage());
        assertEquals(1, fixture.fake.requests().size());
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetried() {
        fixture.fake.addFault(RequestMatcher.any(), Fault.serviceUnavailable(), 1);
        fixture.fake.addFault(RequestMatcher.any(), Fault.closeBeforeHead(), 1);
        assertFalse(converse(runtime, "tri").output().message().content().isEmpty());
        assertEquals(3, new HashSet<>(regionsCalled()).size(), "three attempts, three deployments: " + regionsCalled());
    }

    @Test
    void aDeploymentThatRefusesConnectionsIsRetriedElsewhere() {
        for (int i = 0; i < 10; i++) {
            assertFalse(converse(runtime, "half-dead").output().message().content().isEmpty());
        }
        assertEquals(10, regionsCalled().size(), "every call answered by the live deployment");
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aStreamIsRetriedBeforeItsFirstFrame() {
        // One stream opens with a throttling exception frame, one is answered 503: both before any frame.
        fixture.fake.addFault(RequestMatcher.streaming(), Fault.streamException(0, "throttlingException",
                "Too many tokens"), 1);
        fixture.fake.addFault(RequestMatcher.streaming(), Fault.serviceUnavailable(), 1);
        StringBuilder text = new StringBuilder();
        streamTri(text).orTimeout(30, TimeUnit.SECONDS).join();
        assertEquals(String.join("", fixture.fake.expectedDeltas()), text.toString());
        assertEquals(3, new HashSet<>(regionsCalled()).size(), "three attempts, three deployments: " + regionsCalled());
    }

    @Test
    void aStreamIsNeverRetriedAfterItsFirstFrame() throws InterruptedException {
        // Frames over time (so the first ones reach the client), then the connection dies mid-stream.
        fixture.fake.addFault(RequestMatcher.streaming(),
                Fault.slowStream(Duration.ofMillis(30)).and(Fault.cutAfterFrames(3)), 1);
        StringBuilder text = new StringBuilder();
        CompletionException failure = assertThrows(CompletionException.class,
                () -> streamTri(text).orTimeout(30, TimeUnit.SECONDS).join());
        assertInstanceOf(SdkException.class, failure.getCause(), "SDK raised: " + failure.getCause());
        assertFalse(text.isEmpty(), "the frames before the cut reached the client");
        Thread.sleep(300); // a retry would have arrived by now
        assertEquals(1, fixture.fake.requests().size(), "frames went out, so no other deployment was tried");
    }

    private static java.util.concurrent.CompletableFuture<Void> streamTri(StringBuilder text) {
        return stream("tri", text);
    }

    private static java.util.concurrent.CompletableFuture<Void> stream(String alias, StringBuilder text) {
        return async.converseStream(r -> r.modelId(alias).messages(hi()), ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(e -> text.append(e.delta().text())).build())
                .build());
    }

    @Test
    void aResponseHeadTimeoutMovesTheCallToAnotherDeployment() {
        fixture.fake.addFault(RequestMatcher.region("eu-west-3"), Fault.slowHead(Duration.ofSeconds(3)),
                FaultRule.ALWAYS);
        for (int i = 0; i < 6; i++) {
            assertFalse(converse(runtime, "quick").output().message().content().isEmpty());
        }
        assertTrue(regionsCalled().stream().filter("eu-south-1"::equals).count() == 6, regionsCalled().toString());
    }

    @Test
    void aResponseHeadTimeoutWithNoOtherDeploymentIsModelTimeoutException() {
        fixture.fake.addFault(RequestMatcher.region("me-south-1"), Fault.slowHead(Duration.ofSeconds(3)),
                FaultRule.ALWAYS);
        long start = System.nanoTime();
        ModelTimeoutException timeout = assertThrows(ModelTimeoutException.class,
                () -> converse(runtime, "slowpoke"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(504, timeout.statusCode());
        assertTrue(millis >= 900 && millis < 2900, "answered after the 1 s head timeout, took " + millis + " ms");
    }

    @Test
    void aStreamWithNoFirstEventWithinStreamTimeoutMovesOrIsModelTimeoutException() {
        fixture.fake.addFault(RequestMatcher.region("eu-central-2"), Fault.slowFirstFrame(Duration.ofSeconds(3)),
                FaultRule.ALWAYS);
        for (int i = 0; i < 4; i++) {
            StringBuilder text = new StringBuilder();
            stream("streamy", text).orTimeout(30, TimeUnit.SECONDS).join();
            assertEquals(String.join("", fixture.fake.expectedDeltas()), text.toString());
        }
        assertEquals(4L, regionsCalled().stream().filter("ap-east-1"::equals).count(), regionsCalled().toString());

        fixture.fake.clearRequests();
        fixture.fake.addFault(RequestMatcher.region("ap-southeast-3"), Fault.slowFirstFrame(Duration.ofSeconds(3)),
                FaultRule.ALWAYS);
        CompletionException failure = assertThrows(CompletionException.class,
                () -> stream("streamy-solo", new StringBuilder()).orTimeout(30, TimeUnit.SECONDS).join());
        ModelTimeoutException timeout = assertInstanceOf(ModelTimeoutException.class, failure.getCause());
        assertEquals(504, timeout.statusCode(), "nothing was sent yet, so the status can still say so");
        assertTrue(timeout.getMessage().contains("no stream event within 1s"), timeout.getMessage());
    }

    @Test
    void anExhaustedAliasFallsBackToItsFallbackAlias() {
        fixture.fake.addFault(RequestMatcher.region("ca-central-1"), Fault.serviceUnavailable(), FaultRule.ALWAYS);
        assertFalse(converse(runtime, "primary").output().message().content().isEmpty());
        assertEquals(List.of("ca-central-1", "eu-north-1"), regionsCalled());
    }

    @Test
    void aFallbackOutsideTheKeysAllowListIsNotUsed() throws Exception {
        fixture.fake.addFault(RequestMatcher.region("ca-central-1"), Fault.serviceUnavailable(), FaultRule.ALWAYS);
        String primaryOnly = admin.post("/key/generate", "{\"models\": [\"primary\"]}").body().get("key").asText();
        String both = admin.post("/key/generate", "{\"models\": [\"primary\", \"backup\"]}").body().get("key")
                .asText();
        try (BedrockRuntimeClient narrow = fixture.runtime(primaryOnly);
             BedrockRuntimeClient wide = fixture.runtime(both)) {
            ServiceUnavailableException refused = assertThrows(ServiceUnavailableException.class,
                    () -> converse(narrow, "primary"));
            assertEquals(503, refused.statusCode());
            assertEquals(List.of("ca-central-1"), regionsCalled(), "the backup alias is not this key's to use");
            fixture.fake.clearRequests();
            assertFalse(converse(wide, "primary").output().message().content().isEmpty());
            assertEquals(List.of("ca-central-1", "eu-north-1"), regionsCalled());
            com.fasterxml.jackson.databind.JsonNode logs = null;
            for (int i = 0; i < 50 && (logs == null || logs.isEmpty()); i++) {
                Thread.sleep(100); // spend is written in batches
                logs = admin.get("/spend/logs?api_key=" + both).body();
            }
            assertEquals(1, logs.size(), logs.toString());
            assertEquals("backup/0", logs.get(0).get("deployment").asText(), "spend follows who answered");
            assertEquals("primary", logs.get(0).get("model").asText(), "under the name the client used");
        }
    }

    @Test
    void retryAfterKeepsTheDeploymentOutOfRotationThatLong() throws InterruptedException {
        FaultRule rule = fixture.fake.addFault(RequestMatcher.region(TRI.get(0)),
                Fault.throttling().withRetryAfter("2"), FaultRule.ALWAYS);
        int calls = 0;
        while (!regionsCalled().contains(TRI.get(0))) {
            assertTrue(++calls < 60, "the throttled deployment was never picked");
            converse(runtime, "tri");
        }
        long throttledAt = System.nanoTime();
        fixture.fake.clearRequests();
        rule.remove();
        while (System.nanoTime() - throttledAt < TimeUnit.MILLISECONDS.toNanos(1500)) {
            converse(runtime, "tri");
        }
        assertFalse(regionsCalled().contains(TRI.get(0)), "skipped while its Retry-After runs: " + regionsCalled());
        Thread.sleep(Math.max(0, 2200 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - throttledAt)));
        fixture.fake.clearRequests();
        for (int i = 0; i < 40 && !regionsCalled().contains(TRI.get(0)); i++) {
            converse(runtime, "tri");
        }
        assertTrue(regionsCalled().contains(TRI.get(0)), "back in rotation after Retry-After: " + regionsCalled());
    }

    @Test
    void stickyCallsStayOnOneDeployment() {
        for (String session : List.of("conversation-a", "conversation-b", "conversation-c")) {
            fixture.fake.clearRequests();
            for (int i = 0; i < 8; i++) {
                runtime.converse(r -> r.modelId("tri").messages(hi())
                        .overrideConfiguration(o -> o.putHeader("x-session-id", session)));
            }
            Set<String> regions = regionsCalled().stream().collect(Collectors.toSet());
            assertEquals(1, regions.size(), session + " stayed in one region: " + regionsCalled());
        }
        Set<String> spread = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            fixture.fake.clearRequests();
            String session = "session-" + i;
            runtime.converse(r -> r.modelId("tri").messages(hi())
                    .overrideConfiguration(o -> o.putHeader("x-session-id", session)));
            spread.addAll(regionsCalled());
        }
        assertEquals(3, spread.size(), "different conversations spread over the deployments");
    }
}
