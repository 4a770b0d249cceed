package io.bedrockgateway.fake;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.bedrockgateway.fake.FakeBedrockWireTest.CONVERSE_BODY;
import static io.bedrockgateway.fake.RawHttp.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event streams on the wire: frame shapes, the {@code x-fake-fault} header, and back-pressure on a big stream. */
class FakeBedrockStreamWireTest {
    static final String STREAM_PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream";
    private static FakeBedrock fake;

    @BeforeAll
    static void start() {
        fake = new FakeBedrock().addCredentials(SdkClients.ACCESS_KEY, SdkClients.SECRET).sendBufferSize(16 * 1024);
        fake.start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.clearFaults();
        fake.clearRequests();
    }

    @Test
    void converseStreamFramesHaveBedrockHeadersAndOneChunkEach() throws Exception {
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response response = http.exchange("POST", STREAM_PATH, signed(), CONVERSE_BODY);
            assertEquals(200, response.status());
            assertEquals("application/vnd.amazon.eventstream", response.header("Content-Type"));
            assertEquals("chunked", response.header("Transfer-Encoding"));
            List<Message> frames = decode(response.body());
            List<String> types = frames.stream().map(m -> m.getHeaders().get(":event-type").getString()).toList();
            assertEquals(List.of("messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta",
                    "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"), types);
            for (Message frame : frames) {
                assertEquals("event", frame.getHeaders().get(":message-type").getString());
                assertEquals("application/json", frame.getHeaders().get(":content-type").getString());
            }
            String metadata = new String(frames.get(7).getPayload(), StandardCharsets.UTF_8);
            assertTrue(metadata.contains("\"inputTokens\":" + Usage.DEFAULT_INPUT_TOKENS), metadata);
        }
    }

    @Test
    void faultHeaderDrivesCurlStyleTests() throws Exception {
        try (RawHttp http = new RawHttp(fake.port())) {
            RawHttp.Response throttled = http.exchange("POST", STREAM_PATH, signed("429"), CONVERSE_BODY);
            assertEquals(429, throttled.status());
            assertEquals("ThrottlingException", throttled.header("x-amzn-ErrorType"));
            assertEquals(503, http.exchange("POST", STREAM_PATH, signed("503"), CONVERSE_BODY).status());
            assertEquals(400, http.exchange("POST", STREAM_PATH, signed("nonsense"), CONVERSE_BODY).status());

            long started = System.nanoTime();
            assertEquals(200, http.exchange("POST", STREAM_PATH, signed("slow-head:300"), CONVERSE_BODY).status());
            assertTrue((System.nanoTime() - started) / 1_000_000 >= 300);

            RawHttp.Response exception = http.exchange("POST", STREAM_PATH,
                    signed("exception-after:2:throttlingException"), CONVERSE_BODY);
            List<Message> frames = decode(exception.body());
            assertTrue(exception.complete());
            assertEquals(3, frames.size());
            assertEquals("exception", frames.get(2).getHeaders().get(":message-type").getString());
            assertEquals("throttlingException", frames.get(2).getHeaders().get(":exception-type").getString());

            RawHttp.Response cut = http.exchange("POST", STREAM_PATH, signed("cut-after:2"), CONVERSE_BODY);
            assertFalse(cut.complete(), "no terminating chunk");
            assertEquals(2, decode(cut.body()).size());
        }
        try (RawHttp http = new RawHttp(fake.port())) {
            http.send("POST", STREAM_PATH, signed("close"), CONVERSE_BODY);
            assertThrows(EOFException.class, http::read);
        }
    }

    @Test
    void aStalledReaderStallsTheFakesWrites() throws Exception {
        long total = 16L << 20;
        FaultRule rule = fake.addFault(RequestMatcher.operation("ConverseStream"), Fault.bigStream(total, 16384), 1);
        try (RawHttp http = new RawHttp(fake.port(), 16 * 1024)) {
            http.send("POST", STREAM_PATH, signed(), CONVERSE_BODY);
            RecordedRequest request = fake.awaitRequests(RequestMatcher.operation("ConverseStream"), 1,
                    Duration.ofSeconds(5)).get(0);
            long stalledAt = awaitPlateau(request);
            assertTrue(stalledAt < 4L << 20, "fake wrote " + stalledAt + " bytes to a reader that reads nothing");
            assertEquals(RecordedRequest.Outcome.PENDING, request.outcome());

            RawHttp.Response response = http.read();
            assertTrue(response.complete());
            assertEquals(RecordedRequest.Outcome.COMPLETED, request.awaitOutcome(Duration.ofSeconds(10)));
            assertTrue(request.responseBytesWritten() >= total);
            List<Message> frames = decode(response.body());
            assertEquals("metadata", frames.get(frames.size() - 1).getHeaders().get(":event-type").getString());
            assertTrue(frames.size() > 1000);
            assertEquals(request, rule.lastMatched());
        }
    }

    /** Polls until the byte counter has not moved for 300 ms (at most 5 s). */
    private static long awaitPlateau(RecordedRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long last = -1;
        int stable = 0;
        while (System.nanoTime() < deadline && stable < 3) {
            Thread.sleep(100);
            long now = request.responseBytesWritten();
            stable = now == last && now > 0 ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    private static List<Map.Entry<String, String>> signed(String... fault) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(RawHttp.sign(fake.port(), "POST", STREAM_PATH,
                CONVERSE_BODY));
        for (String f : fault) {
            headers.add(h("x-fake-fault", f));
        }
        return headers;
    }

    static List<Message> decode(byte[] body) {
        List<Message> messages = new ArrayList<>();
        new MessageDecoder(messages::add).feed(body);
        return messages;
    }
}
