package io.bedrockgateway.e2e;

import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.RawHttp;
import io.bedrockgateway.fake.RecordedRequest;
import io.bedrockgateway.fake.RequestMatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.eventstream.Message;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.bedrockgateway.fake.RawHttp.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway as curl sees it: LiteLLM's documented pass-through examples, gateway errors in AWS shape, upstream
 * errors relayed verbatim, and the upstream fault matrix (down, slow head, idle stream, closed before head).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawHttpEndToEndTest {
    private static final String KEY = GatewayFixture.MASTER_KEY;
    private static final String CONVERSE_BODY =
            "{\"messages\": [{\"role\": \"user\",\"content\": [{\"text\": \"Hello\"}]}]}";
    private static GatewayFixture fixture;

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        int deadPort = closedPort;
        fixture = GatewayFixture.start(endpoint -> """
                  - model_name: impatient
                    litellm_params:
                      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                      aws_region_name: us-west-2
                      aws_access_key_id: %1$s
                      aws_secret_access_key: "%2$s"
                      aws_bedrock_runtime_endpoint: %3$s
                      timeout: 1
                      stream_timeout: 1
                  - model_name: unreachable
                    litellm_params:
                      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                      aws_region_name: us-west-2
                      aws_access_key_id: %1$s
                      aws_secret_access_key: "%2$s"
                      aws_bedrock_runtime_endpoint: http://127.0.0.1:%4$d
                """.formatted(GatewayFixture.GATEWAY_ACCESS_KEY, GatewayFixture.GATEWAY_SECRET, endpoint, deadPort),
                "  max_request_size_mb: 1");
    }

    @AfterAll
    static void stop() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void reset() {
        fixture.fake.clearFaults();
        fixture.fake.clearRequests();
    }

    private static RawHttp.Response post(String target, String body, List<Map.Entry<String, String>> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.add(h("Host", "127.0.0.1:" + fixture.gateway.port()));
        all.add(h("Content-Type", "application/json"));
        all.add(h("Content-Length", String.valueOf(bytes.length)));
        try (RawHttp http = new RawHttp(fixture.gateway.port())) {
            return http.exchange("POST", target, all, bytes);
        }
    }

    private static RawHttp.Response post(String target, String body) throws IOException {
        return post(target, body, List.of(h("Authorization", "Bearer " + KEY)));
    }

    private static List<Message> frames(byte[] body) {
        List<Message> frames = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(body);
        while (buffer.hasRemaining()) {
            frames.add(Message.decode(buffer));
        }
        return frames;
    }

    private static void assertAwsError(RawHttp.Response response, int status, String type, String messagePart) {
        assertEquals(status, response.status(), response.bodyText());
        assertEquals(type, response.header("x-amzn-ErrorType"));
        assertTrue(response.header("content-type").startsWith("application/json"));
        assertTrue(response.bodyText().startsWith("{\"message\":\""), response.bodyText());
        assertTrue(response.bodyText().contains(messagePart), response.bodyText());
    }

    private RecordedRequest onlyUpstream() {
        List<RecordedRequest> requests = fixture.fake.requests();
        assertEquals(1, requests.size(), requests.toString());
        assertTrue(requests.get(0).signatureValid(), requests.get(0).authErrorType());
        return requests.get(0);
    }

    // --- LiteLLM's documented pass-through examples, as curl sends them ---

    @Test
    void seedConverseWithRawColonInPath() throws IOException {
        RawHttp.Response response = post("/bedrock/model/cohere.command-r-v1:0/converse", CONVERSE_BODY);
        assertEquals(200, response.status(), response.bodyText());
        assertTrue(response.bodyText().contains("\"output\""));
        assertEquals("/model/cohere.command-r-v1%3A0/converse", onlyUpstream().rawPath());
    }

    @Test
    void seedInvokeModel() throws IOException {
        String body = "{\"max_tokens\": 256, \"anthropic_version\": \"bedrock-2023-05-31\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";
        RawHttp.Response response = post("/bedrock/model/anthropic.claude-3-sonnet-20240229-v1:0/invoke", body);
        assertEquals(200, response.status(), response.bodyText());
        assertTrue(response.header("x-amzn-bedrock-input-token-count") != null, "usage headers relayed");
        assertEquals(body, onlyUpstream().bodyAsString());
    }

    @Test
    void seedConverseStreamRelaysEveryFrame() throws IOException {
        RawHttp.Response response = post("/bedrock/model/my-claude/converse-stream", CONVERSE_BODY);
        assertEquals(200, response.status());
        assertTrue(response.complete());
        assertEquals("application/vnd.amazon.eventstream", response.header("content-type"));
        List<Message> frames = frames(response.body());
        assertEquals("messageStart", frames.get(0).getHeaders().get(":event-type").getString());
        assertEquals("metadata", frames.get(frames.size() - 1).getHeaders().get(":event-type").getString());
    }

    @Test
    void seedKnowledgeBaseRetrieve() throws IOException {
        RawHttp.Response response = post("/bedrock/knowledgebases/KB12345678/retrieve",
                "{\"retrievalQuery\": {\"text\": \"What is Bedrock?\"}, \"retrievalConfiguration\": "
                        + "{\"vectorSearchConfiguration\": {\"numberOfResults\": 2}}}");
        assertEquals(200, response.status(), response.bodyText());
        assertTrue(response.bodyText().contains("retrievalResults"));
        assertEquals("/knowledgebases/KB12345678/retrieve", onlyUpstream().rawPath());
    }

    @Test
    void seedInvokeAgentStreamsChunks() throws IOException {
        RawHttp.Response response = post("/bedrock/agents/AGENT12345/agentAliases/ALIAS12345/sessions/s-1/text",
                "{\"inputText\": \"Hello agent\"}");
        assertEquals(200, response.status(), response.bodyText());
        assertTrue(frames(response.body()).stream()
                .anyMatch(f -> "chunk".equals(f.getHeaders().get(":event-type").getString())));
    }

    @Test
    void seedApplyGuardrail() throws IOException {
        RawHttp.Response response = post("/bedrock/guardrail/gr-abc123/version/1/apply",
                "{\"source\": \"INPUT\", \"content\": [{\"text\": {\"text\": \"Hello\"}}]}");
        assertEquals(200, response.status(), response.bodyText());
        assertEquals("/guardrail/gr-abc123/version/1/apply", onlyUpstream().rawPath());
    }

    @Test
    void curlArnWithLiteralSlashIsEncodedUpstream() throws IOException {
        RawHttp.Response response = post("/bedrock/model/" + GatewayFixture.PROFILE_ARN + "/converse", CONVERSE_BODY);
        assertEquals(200, response.status(), response.bodyText());
        assertEquals("/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2F"
                + "us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", onlyUpstream().rawPath());
    }

    @Test
    void queryParametersAreSignedAndSentCanonically() throws IOException {
        try (RawHttp http = new RawHttp(fixture.gateway.port())) {
            RawHttp.Response response = http.exchange("GET", "/bedrock/async-invoke?maxResults=5&statusEquals=Completed",
                    List.of(h("Host", "gw"), h("Authorization", "Bearer " + KEY)), new byte[0]);
            assertEquals(200, response.status(), response.bodyText());
        }
        RecordedRequest upstream = onlyUpstream();
        assertEquals("GET", upstream.method(), "signed and sent with the client's method");
        assertEquals("maxResults=5&statusEquals=Completed", upstream.rawQuery());
    }

    // --- Gateway errors, in Bedrock's shapes; nothing reaches upstream ---

    @Test
    void missingKeyIs401AndWrongKeyIs403() throws IOException {
        assertAwsError(post("/bedrock/model/my-claude/converse", CONVERSE_BODY, List.of()),
                401, "AccessDeniedException", "No gateway key");
        assertAwsError(post("/bedrock/model/my-claude/converse", CONVERSE_BODY,
                List.of(h("x-api-key", "sk-wrong"))), 403, "AccessDeniedException", "not valid");
        assertTrue(fixture.fake.requests().isEmpty());
    }

    @Test
    void unknownRoutesAreAwsShaped404s() throws IOException {
        assertAwsError(post("/bedrock/model/my-claude/explode", CONVERSE_BODY), 404,
                "UnknownOperationException", "");
        assertAwsError(post("/bedrock/admin/secrets", "{}"), 404, "UnknownOperationException", "");
        assertAwsError(post("/model/my-claude/converse", CONVERSE_BODY), 404, "UnknownOperationException",
                "/bedrock");
        try (RawHttp http = new RawHttp(fixture.gateway.port())) {
            assertAwsError(http.exchange("GET", "/io/bedrockgateway/launcher/WarLauncher.class",
                    List.of(h("Host", "gw")), new byte[0]), 404, "UnknownOperationException", "");
        }
        try (RawHttp http = new RawHttp(fixture.gateway.port())) {
            assertAwsError(http.exchange("GET", "/bedrock/model/my-claude/converse",
                    List.of(h("Host", "gw"), h("Authorization", "Bearer " + KEY)), new byte[0]),
                    404, "UnknownOperationException", "");
        }
        assertTrue(fixture.fake.requests().isEmpty(), "never forwarded to a host derived from client input");
    }

    @Test
    void malformedEscapeIsRejectedAndNeverForwarded() throws IOException {
        // The servlet container refuses a malformed escape before the gateway sees the request.
        assertEquals(400, post("/bedrock/model/bad%zzid/converse", CONVERSE_BODY).status());
        assertTrue(fixture.fake.requests().isEmpty());
    }

    @Test
    void malformedQueryEscapeIsAValidationError() throws IOException {
        try (RawHttp http = new RawHttp(fixture.gateway.port())) {
            assertAwsError(http.exchange("GET", "/bedrock/async-invoke?nextToken=%zz",
                    List.of(h("Host", "gw"), h("Authorization", "Bearer " + KEY)), new byte[0]),
                    400, "ValidationException", "query");
        }
        assertTrue(fixture.fake.requests().isEmpty());
    }

    @Test
    void bodyOverTheCapIs413WithAndWithoutContentLength() throws IOException {
        String big = "{\"messages\": [{\"role\": \"user\",\"content\": [{\"text\": \"" + "x".repeat(1_100_000)
                + "\"}]}]}";
        assertAwsError(post("/bedrock/model/my-claude/converse", big), 413, "ValidationException", "limit");

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(fixture.gateway.port())) {
            http.send("POST", "/bedrock/model/my-claude/converse", List.of(h("Host", "gw"),
                    h("Authorization", "Bearer " + KEY), h("Content-Type", "application/json"),
                    h("Transfer-Encoding", "chunked")), new byte[0]);
            String chunkHead = Integer.toHexString(bytes.length) + "\r\n";
            try {
                http.sendRaw(chunkHead.getBytes(StandardCharsets.US_ASCII));
                http.sendRaw(bytes);
                http.sendRaw("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException serverStoppedReading) {
                // the gateway may answer and close before the whole body is sent
            }
            assertAwsError(http.read(), 413, "ValidationException", "limit");
        }
        assertTrue(fixture.fake.requests().isEmpty());
    }

    // --- Upstream errors and faults ---

    @Test
    void upstreamErrorsPassThroughVerbatim() throws IOException {
        fixture.fake.addFault(RequestMatcher.any(), Fault.error(500, "InternalServerException", "boom at the model"), 1);
        RawHttp.Response response = post("/bedrock/model/my-claude/converse", CONVERSE_BODY);
        RecordedRequest upstream = onlyUpstream();
        assertEquals(500, response.status());
        assertEquals("InternalServerException", response.header("x-amzn-ErrorType"));
        assertEquals(upstream.requestId(), response.header("x-amzn-RequestId"));
        assertTrue(response.bodyText().contains("boom at the model"), response.bodyText());
    }

    @Test
    void upstreamDownIs503() throws IOException {
        assertAwsError(post("/bedrock/model/unreachable/converse", CONVERSE_BODY), 503,
                "ServiceUnavailableException", "connect");
    }

    @Test
    void slowResponseHeadIs504() throws IOException {
        fixture.fake.addFault(RequestMatcher.any(), Fault.slowHead(Duration.ofSeconds(3)), 1);
        long start = System.nanoTime();
        assertAwsError(post("/bedrock/model/impatient/converse", CONVERSE_BODY), 504, "ModelTimeoutException",
                "did not answer in time");
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2900), "answered at the 1 s timeout");
    }

    @Test
    void upstreamClosingBeforeTheHeadIs502() throws IOException {
        fixture.fake.addFault(RequestMatcher.any(), Fault.closeBeforeHead(), 1);
        RawHttp.Response response = post("/bedrock/model/my-claude/converse", CONVERSE_BODY);
        assertEquals(502, response.status(), response.bodyText());
        assertEquals("ServiceUnavailableException", response.header("x-amzn-ErrorType"));
    }

    @Test
    void idleStreamEndsWithAnExceptionFrame() throws Exception {
        fixture.fake.addFault(RequestMatcher.streaming(), Fault.slowStream(Duration.ofSeconds(4)), 1);
        RawHttp.Response response = post("/bedrock/model/impatient/converse-stream", CONVERSE_BODY);
        assertEquals(200, response.status());
        List<Message> frames = frames(response.body());
        Message last = frames.get(frames.size() - 1);
        assertEquals("exception", last.getHeaders().get(":message-type").getString());
        assertEquals("internalServerException", last.getHeaders().get(":exception-type").getString());
        assertTrue(new String(last.getPayload(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains("idle"));
        assertEquals("messageStart", frames.get(0).getHeaders().get(":event-type").getString(),
                "frames before the stall were relayed");
        assertTrue(fixture.fake.lastRequest().awaitOutcome(Duration.ofSeconds(10)) != RecordedRequest.Outcome.PENDING,
                "the upstream exchange was abandoned");
    }

    @Test
    void streamCutInsideAFrameNeverRelaysHalfAFrame() throws IOException {
        fixture.fake.addFault(RequestMatcher.streaming(),
                Fault.slowStream(Duration.ofMillis(30)).and(Fault.cutInsideFrame(2)), 1);
        RawHttp.Response response = post("/bedrock/model/my-claude/converse-stream", CONVERSE_BODY);
        List<Message> frames = frames(response.body()); // throws if any frame is partial or corrupt
        Message last = frames.get(frames.size() - 1);
        assertEquals("exception", last.getHeaders().get(":message-type").getString());
        assertFalse(frames.size() > 3, "only the whole frames before the cut, then the exception: " + frames.size());
    }

    @Test
    void clientDisconnectCancelsTheUpstreamExchange() throws Exception {
        fixture.fake.addFault(RequestMatcher.streaming(), Fault.slowStream(Duration.ofMillis(300)), 1);
        byte[] body = CONVERSE_BODY.getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(fixture.gateway.port())) {
            http.send("POST", "/bedrock/model/my-claude/converse-stream", List.of(h("Host", "gw"),
                    h("Authorization", "Bearer " + KEY), h("Content-Type", "application/json"),
                    h("Content-Length", String.valueOf(body.length))), body);
            assertEquals(200, http.readHead().status());
        } // the client goes away mid-stream
        RecordedRequest upstream = fixture.fake.awaitRequests(RequestMatcher.streaming(), 1, Duration.ofSeconds(5))
                .get(0);
        RecordedRequest.Outcome outcome = upstream.awaitOutcome(Duration.ofSeconds(10));
        assertEquals(RecordedRequest.Outcome.PEER_GONE, outcome, "the gateway dropped the upstream exchange");
    }
}
