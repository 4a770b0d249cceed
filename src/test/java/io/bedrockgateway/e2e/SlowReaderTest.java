package io.bedrockgateway.e2e;

import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.FaultRule;
import io.bedrockgateway.fake.RawHttp;
import io.bedrockgateway.fake.RequestMatcher;
import io.bedrockgateway.streaming.UpstreamResponsePublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.bedrockgateway.fake.RawHttp.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multi-MiB event stream to a client that reads slowly: the client's demand drives the upstream reads, so the
 * bytes upstream has managed to write stay within a fixed window of what the client has read, whatever the
 * stream's size. Everything still arrives, frame for frame. An upstream that bursts faster than the gateway's
 * reactor can drain the socket is cut off at the per-stream buffer bound instead, with an exception frame.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowReaderTest {
    private static final long STREAM_BYTES = 24L * 1024 * 1024;
    /** Socket buffers on both legs plus the relay's window; far below the stream size. */
    private static final long IN_FLIGHT_BOUND = 6L * 1024 * 1024;
    private static GatewayFixture fixture;

    @BeforeAll
    static void start() throws IOException {
        fixture = GatewayFixture.start(null);
        fixture.fake.sendBufferSize(64 * 1024);
    }

    @AfterAll
    static void stop() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void slowClientHoldsUpstreamBackAndStillGetsEveryFrame() throws Exception {
        // Paced like a real model stream (a frame every millisecond, still 16 MiB/s), not one unbroken burst.
        FaultRule big = fixture.fake.addFault(RequestMatcher.streaming(),
                Fault.bigStream(STREAM_BYTES, 16 * 1024).and(Fault.slowStream(Duration.ofMillis(1))), 1);
        byte[] body = "{\"messages\": [{\"role\": \"user\",\"content\": [{\"text\": \"big\"}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(fixture.gateway.port(), 32 * 1024)) {
            http.socket.setSoTimeout(30_000);
            http.send("POST", "/bedrock/model/my-claude/converse-stream", List.of(h("Host", "gw"),
                    h("Authorization", "Bearer " + GatewayFixture.MASTER_KEY), h("Content-Type", "application/json"),
                    h("Connection", "close"), h("Content-Length", String.valueOf(body.length))), body);
            RawHttp.Response head = http.readHead();
            assertEquals(200, head.status());

            Thread.sleep(1500); // the client reads nothing: upstream must stall
            long stalledAt = big.lastMatched().responseBytesWritten();
            assertTrue(stalledAt < IN_FLIGHT_BOUND, "upstream wrote " + stalledAt + " bytes to a client reading none");

            InputStream in = http.input();
            ByteArrayOutputStream chunked = new ByteArrayOutputStream((int) STREAM_BYTES + (1 << 20));
            byte[] buffer = new byte[64 * 1024];
            long maxAhead = 0;
            int reads = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                chunked.write(buffer, 0, n);
                long ahead = big.lastMatched().responseBytesWritten() - chunked.size();
                maxAhead = Math.max(maxAhead, ahead);
                if (++reads % 16 == 0) {
                    Thread.sleep(5); // a slow reader, not a stalled one
                }
            }
            assertTrue(maxAhead < IN_FLIGHT_BOUND, "upstream ran " + maxAhead + " bytes ahead of the client");
            List<Message> frames = frames(dechunk(chunked.toByteArray()));
            assertTrue(frames.size() > STREAM_BYTES / (16 * 1024), "frames: " + frames.size());
            assertEquals("metadata", frames.get(frames.size() - 1).getHeaders().get(":event-type").getString());
            System.out.printf("slow reader: stalled at %d bytes, max %d bytes ahead, %d frames%n",
                    stalledAt, maxAhead, frames.size());
        }
    }

    /**
     * An unbroken burst to a client that reads nothing for a while: the gateway holds at most its per-stream bound
     * (plus socket buffers) for it. Whether the reactor kept up or the bound was reached depends on timing; either
     * way the client gets a well-formed stream: complete, or ended by the exception frame that says why.
     */
    @Test
    void burstToAStalledClientStaysBounded() throws Exception {
        FaultRule burst = fixture.fake.addFault(RequestMatcher.streaming(), Fault.bigStream(STREAM_BYTES, 16 * 1024), 1);
        byte[] body = "{\"messages\": [{\"role\": \"user\",\"content\": [{\"text\": \"burst\"}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(fixture.gateway.port(), 32 * 1024)) {
            http.socket.setSoTimeout(30_000);
            http.send("POST", "/bedrock/model/my-claude/converse-stream", List.of(h("Host", "gw"),
                    h("Authorization", "Bearer " + GatewayFixture.MASTER_KEY), h("Content-Type", "application/json"),
                    h("Connection", "close"), h("Content-Length", String.valueOf(body.length))), body);
            assertEquals(200, http.readHead().status());
            Thread.sleep(1500);
            long written = burst.lastMatched().responseBytesWritten();
            assertTrue(written < UpstreamResponsePublisher.DEFAULT_MAX_BUFFERED_BYTES + IN_FLIGHT_BOUND,
                    "upstream wrote " + written + " bytes to a client reading none");
            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            http.input().transferTo(chunked);
            List<Message> frames = frames(dechunk(chunked.toByteArray()));
            Message last = frames.get(frames.size() - 1);
            if ("exception".equals(last.getHeaders().get(":message-type").getString())) {
                assertTrue(new String(last.getPayload(), StandardCharsets.UTF_8).contains("reads more slowly"));
            } else {
                assertEquals("metadata", last.getHeaders().get(":event-type").getString());
                assertTrue(frames.size() > STREAM_BYTES / (16 * 1024), "frames: " + frames.size());
            }
            System.out.printf("burst: upstream wrote %d bytes while the client read none; client got %d frames, "
                    + "ending with %s%n", written, frames.size(), last.getHeaders().get(":message-type").getString());
        }
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunked.length);
        int i = 0;
        while (true) {
            int lineEnd = indexOfCrlf(chunked, i);
            int size = Integer.parseInt(new String(chunked, i, lineEnd - i, StandardCharsets.US_ASCII).trim(), 16);
            i = lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, i, size);
            i += size + 2;
        }
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("truncated chunked body");
    }

    private static List<Message> frames(byte[] body) {
        List<Message> frames = new java.util.ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(body);
        while (buffer.hasRemaining()) {
            frames.add(Message.decode(buffer));
        }
        return frames;
    }
}
