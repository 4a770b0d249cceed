package io.bedrockgateway.fake;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.bedrockgateway.fake.FakeBedrockTest.COLON_ID;
import static io.bedrockgateway.fake.FakeBedrockTest.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fault kind, observed through the real SDK clients: they must fail with the right type, never hang. */
class FakeBedrockFaultTest {
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
        fake.clearFaults();
        fake.clearRequests();
    }

    @Test
    void throttleOnceWithRetryAfterThenSucceed() {
        FaultRule rule = fake.addFault(RequestMatcher.operation("Converse"),
                Fault.throttling().withRetryAfter("2"), 1);
        ThrottlingException e = assertThrows(ThrottlingException.class, this::converse);
        assertEquals(429, e.statusCode());
        assertEquals("2", e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").orElseThrow());
        assertEquals("Too many requests, please wait before trying again.", e.awsErrorDetails().errorMessage());
        converse();
        assertEquals(1, rule.hits());
        assertEquals(0, rule.remaining());
        assertEquals(fake.requests().get(0), rule.lastMatched());
    }

    @Test
    void errorFaultsMapToTypedSdkExceptions() {
        fake.addFault(RequestMatcher.any(), Fault.internalError(), 1);
        fake.addFault(RequestMatcher.any(), Fault.serviceUnavailable(), 1);
        fake.addFault(RequestMatcher.any(), Fault.validation("Upstream says no."), 1);
        assertThrows(InternalServerException.class, this::converse);
        assertThrows(ServiceUnavailableException.class, this::converse);
        assertEquals("Upstream says no.",
                assertThrows(ValidationException.class, this::converse).awsErrorDetails().errorMessage());
        converse();
    }

    @Test
    void matchersSelectByModelAndCountLimitsFirings() {
        FaultRule rule = fake.addFault(RequestMatcher.modelId("amazon.nova-lite-v1"), Fault.throttling(), 2);
        converse();
        assertThrows(ThrottlingException.class,
                () -> sync.converse(r -> r.modelId("amazon.nova-lite-v1").messages(userMessage("x"))));
        assertThrows(ThrottlingException.class,
                () -> sync.converse(r -> r.modelId("amazon.nova-lite-v1").messages(userMessage("x"))));
        sync.converse(r -> r.modelId("amazon.nova-lite-v1").messages(userMessage("x")));
        assertEquals(2, rule.hits());
    }

    @Test
    void faultsNeverMaskASigningFailure() {
        FaultRule rule = fake.addFault(RequestMatcher.any(), Fault.throttling(), FaultRule.ALWAYS);
        try (BedrockRuntimeClient wrong = SdkClients.runtime(fake, SdkClients.ACCESS_KEY, "wrong")) {
            BedrockRuntimeException e = assertThrows(BedrockRuntimeException.class,
                    () -> wrong.converse(r -> r.modelId(COLON_ID).messages(userMessage("x"))));
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
        assertEquals(0, rule.hits());
        rule.remove();
        converse();
    }

    @Test
    void resetMidStreamFailsTheSdkStream() {
        fake.addFault(RequestMatcher.operation("ConverseStream"), Fault.resetAfterFrames(2), 1);
        List<String> texts = new CopyOnWriteArrayList<>();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> converseStream(texts).get(10, TimeUnit.SECONDS));
        assertInstanceOf(SdkClientException.class, e.getCause());
        assertEquals(1, texts.size(), "messageStart and one delta went out before the reset");
        assertEquals(RecordedRequest.Outcome.CUT, fake.lastRequest().outcome());
    }

    /**
     * A FIN without the terminating chunk, even inside a frame, ends the Netty SDK client's stream as if it were
     * complete (observed with SDK 2.50.2): only the frames sent arrive, and nothing hangs. A gateway must therefore
     * end a failed relay with an exception frame; closing alone looks like success to these clients.
     */
    @Test
    void finMidStreamEndsTheSdkStreamWithoutHanging() throws Exception {
        for (Fault cut : List.of(Fault.cutAfterFrames(2), Fault.cutInsideFrame(2))) {
            fake.addFault(RequestMatcher.operation("ConverseStream"), cut, 1);
            List<String> texts = new CopyOnWriteArrayList<>();
            try {
                converseStream(texts).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertInstanceOf(SdkException.class, e.getCause());
            }
            assertEquals(1, texts.size(), cut.toString());
            assertEquals(RecordedRequest.Outcome.CUT, fake.lastRequest().outcome());
        }
    }

    @Test
    void cutNonStreamingBodyFailsTheSdkCall() {
        fake.addFault(RequestMatcher.operation("Converse"), Fault.cutAfterFrames(0), 1);
        assertThrows(SdkClientException.class, this::converse);
        fake.addFault(RequestMatcher.operation("Converse"), Fault.closeBeforeHead(), 1);
        assertThrows(SdkClientException.class, this::converse);
        converse();
    }

    @Test
    void exceptionFrameMidStreamSurfacesAsTypedException() {
        fake.addFault(RequestMatcher.operation("ConverseStream"),
                Fault.streamException(3, "modelStreamErrorException", "The model crashed."), 1);
        List<String> texts = new CopyOnWriteArrayList<>();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> converseStream(texts).get(10, TimeUnit.SECONDS));
        assertInstanceOf(ModelStreamErrorException.class, e.getCause());
        assertEquals(2, texts.size());
        assertEquals(RecordedRequest.Outcome.COMPLETED, fake.lastRequest().outcome());
    }

    @Test
    void slowHeadAndSlowStreamDelay() throws Exception {
        fake.addFault(RequestMatcher.operation("Converse"), Fault.slowHead(java.time.Duration.ofMillis(400)), 1);
        long started = System.nanoTime();
        converse();
        assertTrue(elapsedMillis(started) >= 400);

        fake.addFault(RequestMatcher.operation("ConverseStream"),
                Fault.slowStream(java.time.Duration.ofMillis(100)), 1);
        started = System.nanoTime();
        converseStream(new CopyOnWriteArrayList<>()).get(10, TimeUnit.SECONDS);
        assertTrue(elapsedMillis(started) >= 700, "8 frames, 7 gaps of 100 ms");

        fake.addFault(RequestMatcher.operation("Converse"), Fault.slowStream(java.time.Duration.ofMillis(100)), 1);
        started = System.nanoTime();
        converse();
        assertTrue(elapsedMillis(started) >= 300, "a fixed body goes out in 4 slices, 3 gaps of 100 ms");
    }

    @Test
    void bigStreamParsesAndCountsBytes() throws Exception {
        fake.addFault(RequestMatcher.operation("InvokeModelWithResponseStream"), Fault.bigStream(4 << 20, 16384), 1);
        AtomicLong chunkBytes = new AtomicLong();
        List<String> last = new CopyOnWriteArrayList<>();
        async.invokeModelWithResponseStream(r -> r.modelId(COLON_ID)
                        .body(SdkBytes.fromUtf8String(FakeBedrockTest.anthropicRequest())),
                InvokeModelWithResponseStreamResponseHandler.builder()
                        .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                                .onChunk(c -> {
                                    chunkBytes.addAndGet(c.bytes().asByteArray().length);
                                    last.add(c.bytes().asUtf8String());
                                })
                                .build())
                        .build()).get(20, TimeUnit.SECONDS);
        RecordedRequest recorded = fake.lastRequest();
        assertEquals(RecordedRequest.Outcome.COMPLETED, recorded.outcome());
        assertTrue(recorded.responseBytesWritten() >= 4 << 20, "wrote " + recorded.responseBytesWritten());
        assertTrue(chunkBytes.get() > 2 << 20, "decoded " + chunkBytes.get());
        assertTrue(last.get(last.size() - 1).contains("amazon-bedrock-invocationMetrics"));
    }

    private void converse() {
        sync.converse(r -> r.modelId(COLON_ID).messages(userMessage("x")));
    }

    private CompletableFuture<Void> converseStream(List<String> texts) {
        return async.converseStream(r -> r.modelId(COLON_ID).messages(userMessage("x")),
                ConverseStreamResponseHandler.builder()
                        .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                                .onContentBlockDelta(d -> texts.add(d.delta().text()))
                                .build())
                        .build());
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
