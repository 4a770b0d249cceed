package io.bedrockgateway.spend;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.bedrockgateway.spend.TestFrames.concat;
import static io.bedrockgateway.spend.TestFrames.event;
import static io.bedrockgateway.spend.TestFrames.feed;
import static io.bedrockgateway.spend.TestFrames.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ConverseStreamUsageTapTest {
    static final byte[][] FRAMES = {
            event("messageStart", "{\"role\":\"assistant\",\"p\":\"a\"}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abc\"}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" \\\"usage\\\"\"},\"p\":\"ab\"}"),
            event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"ab\"}"),
            event("messageStop", "{\"stopReason\":\"end_turn\",\"p\":\"abc\"}"),
            event("metadata", "{\"usage\":{\"inputTokens\":1200,\"outputTokens\":345,\"totalTokens\":1695,"
                    + "\"cacheReadInputTokens\":100,\"cacheWriteInputTokens\":50},\"metrics\":{\"latencyMs\":420},"
                    + "\"p\":\"abcd\"}")};

    @Test
    void readsTheMetadataEventWhateverTheChunking() {
        for (int chunkSize : new int[]{1, 7, 64, 100_000}) {
            UsageTap tap = new ConverseStreamUsageTap();
            tap.onHead(200, headers("Content-Type", "application/vnd.amazon.eventstream"));
            feed(tap, chunkSize, concat(FRAMES));
            assertEquals(new Usage(1200, 345, 100, 50), tap.usage(), "chunks of " + chunkSize);
        }
    }

    @Test
    void aStreamCutBeforeMetadataHasNoUsage() {
        UsageTap tap = new ConverseStreamUsageTap();
        feed(tap, 13, concat(Arrays.copyOf(FRAMES, 4)));
        assertEquals(Usage.NONE, tap.usage());
    }

    @Test
    void exceptionFramesAndOtherEventsAreIgnored() {
        UsageTap tap = new ConverseStreamUsageTap();
        feed(tap, 50, concat(FRAMES[0], TestFrames.exception("throttlingException",
                "{\"message\":\"slow down\",\"usage\":{\"inputTokens\":9}}")));
        assertEquals(Usage.NONE, tap.usage());
        UsageTap other = new ConverseStreamUsageTap();
        feed(other, 50, event("messageStop", "{\"usage\":{\"inputTokens\":9,\"outputTokens\":9}}"));
        assertEquals(Usage.NONE, other.usage());
    }

    @Test
    void corruptOrMalformedFramesAreSkipped() {
        byte[] corrupt = FRAMES[5].clone();
        corrupt[corrupt.length - 10] ^= 0x55;  // payload byte: the message CRC no longer matches
        UsageTap tap = new ConverseStreamUsageTap();
        tap.onFrame(ByteBuffer.wrap(corrupt).asReadOnlyBuffer());
        tap.onFrame(ByteBuffer.wrap(new byte[]{0, 0, 0, 16, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}));
        tap.onFrame(ByteBuffer.wrap(event("metadata", "{\"usage\":")).asReadOnlyBuffer());
        tap.onFrame(ByteBuffer.wrap(event("metadata", "[\"usage\"]")).asReadOnlyBuffer());
        tap.onFrame(null);
        tap.onBodyChunk(ByteBuffer.wrap(new byte[]{1, 2, 3}));
        assertEquals(Usage.NONE, tap.usage());
        tap.onFrame(ByteBuffer.wrap(FRAMES[5]).asReadOnlyBuffer());
        assertEquals(new Usage(1200, 345, 100, 50), tap.usage());
    }

    @Test
    void errorAnswersAreNotRead() {
        UsageTap tap = new ConverseStreamUsageTap();
        tap.onHead(500, headers());
        feed(tap, 100, concat(FRAMES));
        assertEquals(Usage.NONE, tap.usage());
    }
}
