package io.bedrockgateway.fake;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.bedrockgateway.fake.RawHttp.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Byte-level behaviour: what is recorded, how strict the verifier is, HTTP/1.1 framing and keep-alive. */
class FakeBedrockWireTest {
    static final String COLON_PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";
    static final byte[] CONVERSE_BODY =
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}".getBytes(StandardCharsets.UTF_8);

    private static FakeBedrock fake;

    @BeforeAll
    static void start() {
        fake = new FakeBedrock().addCredentials(SdkClients.ACCESS_KEY, SdkClients.SECRET);
        fake.start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.clearRequests();
        fake.clearFaults();
        fake.region(null).clock(Clock.systemUTC());
    }

    @Test
    void recordsTheTargetAndEveryHeaderInArrivalOrder() throws Exception {
        List<Map.Entry<String, String>> headers = new ArrayList<>(RawHttp.sign(fake.port(), "POST", COLON_PATH,
                CONVERSE_BODY));
        headers.add(h("X-Dup", "one"));
        headers.add(h("x-dup", "two"));
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response response = http.exchange("POST", COLON_PATH, headers, CONVERSE_BODY);
            assertEquals(200, response.status(), response.bodyText());
            assertNotNull(response.header("x-amzn-RequestId"));
            assertNotNull(response.header("Date"));
        }
        RecordedRequest recorded = fake.lastRequest();
        assertEquals(COLON_PATH, recorded.target());
        assertEquals(headers, recorded.headers());
        assertEquals(List.of("one", "two"), recorded.headerValues("x-dup"));
        assertEquals(new String(CONVERSE_BODY, StandardCharsets.UTF_8), recorded.bodyAsString());
        assertEquals("anthropic.claude-3-5-sonnet-20240620-v1:0", recorded.modelId());
        assertTrue(recorded.signatureValid());
    }

    @Test
    void unsignedAndUnknownRequestsGetAwsShapes() throws Exception {
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response unsigned = http.exchange("POST", COLON_PATH,
                    List.of(h("Host", "127.0.0.1"), h("Content-Length", String.valueOf(CONVERSE_BODY.length))),
                    CONVERSE_BODY);
            assertEquals(403, unsigned.status());
            assertEquals("MissingAuthenticationTokenException", unsigned.header("x-amzn-ErrorType"));
            assertEquals("{\"message\":\"Missing Authentication Token\"}", unsigned.bodyText());
            assertNotNull(unsigned.header("x-amzn-RequestId"));

            RawHttp.Response unknown = http.exchange("POST", "/model/x.y/fly",
                    RawHttp.sign(fake.port(), "POST", "/model/x.y/fly", CONVERSE_BODY), CONVERSE_BODY);
            assertEquals(404, unknown.status());
            assertEquals("UnknownOperationException", unknown.header("x-amzn-ErrorType"));
        }
        assertEquals(RecordedRequest.AuthType.NONE, fake.requests().get(0).authType());
        assertEquals(null, fake.requests().get(1).operation());
    }

    @Test
    void aPathDecodedAfterSigningFailsVerification() throws Exception {
        String decoded = COLON_PATH.replace("%3A", ":");
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response response = http.exchange("POST", decoded,
                    RawHttp.sign(fake.port(), "POST", COLON_PATH, CONVERSE_BODY), CONVERSE_BODY);
            assertEquals(403, response.status());
            assertEquals("InvalidSignatureException", response.header("x-amzn-ErrorType"));
            assertTrue(response.bodyText().contains("POST\\n/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/"),
                    response.bodyText());
        }
    }

    @Test
    void anArnWithARawSlashIsNotAModelPath() throws Exception {
        String raw = "/model/arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.x-v1:0/converse";
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response response = http.exchange("POST", raw,
                    RawHttp.sign(fake.port(), "POST", raw, CONVERSE_BODY), CONVERSE_BODY);
            assertEquals(404, response.status());
            assertEquals("UnknownOperationException", response.header("x-amzn-ErrorType"));
        }
    }

    @Test
    void aTamperedBodyFailsVerification() throws Exception {
        byte[] other = new String(CONVERSE_BODY, StandardCharsets.UTF_8).replace("Hi", "Yo")
                .getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response response = http.exchange("POST", COLON_PATH,
                    RawHttp.sign(fake.port(), "POST", COLON_PATH, CONVERSE_BODY), other);
            assertEquals("InvalidSignatureException", response.header("x-amzn-ErrorType"));
        }
    }

    @Test
    void skewRegionAndSessionTokenAreChecked() throws Exception {
        Clock late = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6));
        AwsCredentialsIdentity basic = AwsCredentialsIdentity.create(SdkClients.ACCESS_KEY, SdkClients.SECRET);
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response skewed = http.exchange("POST", COLON_PATH, RawHttp.sign(fake.port(), "POST", COLON_PATH,
                    Map.of(), CONVERSE_BODY, basic, "us-west-2", late), CONVERSE_BODY);
            assertEquals("InvalidSignatureException", skewed.header("x-amzn-ErrorType"));
            assertTrue(skewed.bodyText().contains("Signature expired"), skewed.bodyText());

            fake.region("us-east-1");
            RawHttp.Response wrongRegion = http.exchange("POST", COLON_PATH,
                    RawHttp.sign(fake.port(), "POST", COLON_PATH, CONVERSE_BODY), CONVERSE_BODY);
            assertEquals(403, wrongRegion.status());
            assertEquals("us-west-2", fake.lastRequest().region());
            RawHttp.Response rightRegion = http.exchange("POST", COLON_PATH, RawHttp.sign(fake.port(), "POST",
                    COLON_PATH, Map.of(), CONVERSE_BODY, basic, "us-east-1", Clock.systemUTC()), CONVERSE_BODY);
            assertEquals(200, rightRegion.status(), rightRegion.bodyText());
            assertEquals("us-east-1", fake.lastRequest().region());
            fake.region(null);

            fake.addCredentials("ASIAFAKESESSION", "session-secret", "the-token");
            RawHttp.Response session = http.exchange("POST", COLON_PATH, RawHttp.sign(fake.port(), "POST", COLON_PATH,
                    Map.of(), CONVERSE_BODY, AwsSessionCredentialsIdentity.create("ASIAFAKESESSION", "session-secret",
                            "the-token"), "eu-central-1", Clock.systemUTC()), CONVERSE_BODY);
            assertEquals(200, session.status(), session.bodyText());
            assertEquals("eu-central-1", fake.lastRequest().region());
            RawHttp.Response noToken = http.exchange("POST", COLON_PATH, RawHttp.sign(fake.port(), "POST", COLON_PATH,
                    Map.of(), CONVERSE_BODY, AwsCredentialsIdentity.create("ASIAFAKESESSION", "session-secret"),
                    "eu-central-1", Clock.systemUTC()), CONVERSE_BODY);
            assertEquals("UnrecognizedClientException", noToken.header("x-amzn-ErrorType"));
        }
    }

    @Test
    void bearerTokensWorkOnRuntimeOnly() throws Exception {
        fake.addBearerToken("ABSKfakeapikey").region("ap-south-1");
        List<Map.Entry<String, String>> headers = List.of(h("Host", "127.0.0.1:" + fake.port()),
                h("Authorization", "Bearer ABSKfakeapikey"), h("Content-Length", String.valueOf(CONVERSE_BODY.length)));
        try (RawHttp http = new RawHttp(fake.port())) {
            assertEquals(200, http.exchange("POST", COLON_PATH, headers, CONVERSE_BODY).status());
            assertEquals(RecordedRequest.AuthType.BEARER, fake.lastRequest().authType());
            assertEquals("ap-south-1", fake.lastRequest().region());
            RawHttp.Response agent = http.exchange("POST", "/knowledgebases/KB1/retrieve", headers, CONVERSE_BODY);
            assertEquals(403, agent.status());
            assertEquals("AccessDeniedException", agent.header("x-amzn-ErrorType"));
        }
    }

    @Test
    void chunkedRequestBodiesAndExpectContinueAreHandled() throws Exception {
        List<Map.Entry<String, String>> headers = new ArrayList<>(RawHttp.sign(fake.port(), "POST", COLON_PATH,
                Map.of(), CONVERSE_BODY, AwsCredentialsIdentity.create(SdkClients.ACCESS_KEY, SdkClients.SECRET),
                "us-west-2", Clock.systemUTC(), false));
        headers.add(h("Transfer-Encoding", "chunked"));
        headers.add(h("Expect", "100-continue"));
        int half = CONVERSE_BODY.length / 2;
        String chunked = Integer.toHexString(half) + "\r\n" + new String(CONVERSE_BODY, 0, half, StandardCharsets.UTF_8)
                + "\r\n" + Integer.toHexString(CONVERSE_BODY.length - half) + ";ext=1\r\n"
                + new String(CONVERSE_BODY, half, CONVERSE_BODY.length - half, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n";
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response response = http.exchange("POST", COLON_PATH, headers,
                    chunked.getBytes(StandardCharsets.UTF_8));
            assertEquals(200, response.status(), response.bodyText());
        }
        assertTrue(fake.lastRequest().signatureValid());
    }

    @Test
    void keepAliveServesThousandsOfRequestsQuickly() throws Exception {
        long connectionsBefore = fake.connectionsAccepted();
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(4, r -> new Thread(r, "wire-test-client"));
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                results.add(clients.submit(() -> {
                    int ok = 0;
                    try (RawHttp http = new RawHttp(fake.port())) {
                        for (int i = 0; i < 500; i++) {
                            RawHttp.Response response = http.exchange("POST", COLON_PATH,
                                    RawHttp.sign(fake.port(), "POST", COLON_PATH, CONVERSE_BODY), CONVERSE_BODY);
                            ok += response.status() == 200 ? 1 : 0;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(500, result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(4, fake.connectionsAccepted() - connectionsBefore);
        assertEquals(2000, fake.requests().size());
        assertTrue(millis < 20_000, "2000 requests took " + millis + " ms");
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        List<Map.Entry<String, String>> headers = new ArrayList<>(RawHttp.sign(fake.port(), "POST", COLON_PATH,
                CONVERSE_BODY));
        headers.add(h("Connection", "close"));
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response response = http.exchange("POST", COLON_PATH, headers, CONVERSE_BODY);
            assertEquals("close", response.header("Connection"));
            assertEquals(-1, http.socket.getInputStream().read());
        }
        assertFalse(fake.lastRequest().outcome() == RecordedRequest.Outcome.PENDING);
    }
}
