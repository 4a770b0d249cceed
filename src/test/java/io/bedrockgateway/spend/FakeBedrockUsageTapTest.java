package io.bedrockgateway.spend;

import io.bedrockgateway.fake.FakeBedrock;
import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.RequestMatcher;
import io.bedrockgateway.routing.OperationParser;
import io.bedrockgateway.streaming.EventStreamFramer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The taps on the fake Bedrock's real responses, read over HTTP and fed as the relay feeds them: event streams
 * through {@link EventStreamFramer}, bodies chunk by chunk.
 */
class FakeBedrockUsageTapTest {
    private static final String TOKEN = "spend-test-token";
    private static final String ACCESS_KEY = "AKIDSPENDTEST0000001";
    private static final String SECRET = "spend/test/secret";
    private static final String MODEL_PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/";
    private static final String CONVERSE = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";
    private static final String INVOKE = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    private static final Usage EXPECTED = new Usage(1200, 345, 100, 50);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "expect", "upgrade");

    private static FakeBedrock fake;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        fake = new FakeBedrock().addBearerToken(TOKEN).addCredentials(ACCESS_KEY, SECRET)
                .usage(1200, 345, 100, 50).streamDeltas(5);
        fake.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void clearFaults() {
        fake.clearFaults();
    }

    @Test
    void converse() throws Exception {
        assertEquals(EXPECTED, tapped("POST", MODEL_PATH + "converse", CONVERSE, false).usage());
    }

    @Test
    void converseStream() throws Exception {
        assertEquals(EXPECTED, tapped("POST", MODEL_PATH + "converse-stream", CONVERSE, false).usage());
    }

    @Test
    void invokeModel() throws Exception {
        assertEquals(EXPECTED, tapped("POST", MODEL_PATH + "invoke", INVOKE, false).usage());
    }

    @Test
    void invokeModelWithResponseStream() throws Exception {
        assertEquals(EXPECTED, tapped("POST", MODEL_PATH + "invoke-with-response-stream", INVOKE, false).usage());
    }

    @Test
    void invokeModelWithResponseStreamCutAfterTheFirstFrames() throws Exception {
        fake.addFault(RequestMatcher.operation("InvokeModelWithResponseStream"), Fault.cutAfterFrames(3), 1);
        // message_start only: its input and cache counts, and Anthropic's initial output count of 1.
        assertEquals(new Usage(1200, 1, 100, 50),
                tapped("POST", MODEL_PATH + "invoke-with-response-stream", INVOKE, false).usage());
    }

    @Test
    void invokeAgentWithTrace() throws Exception {
        UsageTap tap = tapped("POST", "/agents/AGENT12345/agentAliases/TSTALIASID/sessions/s-1/text",
                "{\"inputText\":\"Hi\",\"enableTrace\":true}", true);
        AgentUsageTap agent = assertInstanceOf(AgentUsageTap.class, tap);
        assertEquals(new Usage(1200, 345, 0, 0), agent.usage());
    }

    @Test
    void errorsReportNoUsage() throws Exception {
        fake.addFault(RequestMatcher.operation("Converse"), Fault.throttling(), 1);
        assertEquals(Usage.NONE, tapped("POST", MODEL_PATH + "converse", CONVERSE, false).usage());
    }

    /** Calls the fake and feeds the response to the tap the operation gets. */
    private static UsageTap tapped(String method, String path, String body, boolean sigV4) throws Exception {
        UsageTap tap = UsageTaps.forOperation(OperationParser.parse(method, path));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.endpoint() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/json");
        if (sigV4) {
            sign(method, path, bytes).forEachHeader((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(value -> request.setHeader(name, value));
                }
            });
        } else {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        tap.onHead(response.statusCode(), name -> response.headers().firstValue(name).orElse(null));
        boolean stream = response.headers().firstValue("Content-Type").orElse("")
                .equals("application/vnd.amazon.eventstream");
        EventStreamFramer framer = new EventStreamFramer(tap::onFrame);
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1000];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n).asReadOnlyBuffer();
                if (stream) {
                    framer.accept(chunk);
                } else {
                    tap.onBodyChunk(chunk);
                }
            }
        } catch (IOException cut) {
            // A cut stream: the tap keeps what it saw.
        }
        return tap;
    }

    private static SdkHttpRequest sign(String method, String path, byte[] body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).protocol("http")
                .host("127.0.0.1").port(fake.port()).encodedPath(path)
                .putHeader("Content-Type", "application/json").build();
        return AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET))
                .request(request).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-west-2")).request();
    }
}
