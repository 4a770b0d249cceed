package io.bedrockgateway.spend;

import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventHeaderScanTest {
    private static final byte[] METADATA = Bytes.ascii("metadata");

    @Test
    void findsTheEventTypeOfAnEventFrame() {
        assertTrue(EventHeaderScan.isEvent(wrap(TestFrames.event("metadata", "{}")), METADATA));
        assertFalse(EventHeaderScan.isEvent(wrap(TestFrames.event("contentBlockDelta", "{}")), METADATA));
        assertFalse(EventHeaderScan.isEvent(wrap(TestFrames.event("metadat", "{}")), METADATA));
        assertFalse(EventHeaderScan.isEvent(wrap(TestFrames.event("metadataX", "{}")), METADATA));
    }

    @Test
    void anExceptionIsNotAnEvent() {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString("metadata"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        assertFalse(EventHeaderScan.isEvent(wrap(encode(headers)), METADATA));
        assertFalse(EventHeaderScan.isEvent(wrap(TestFrames.exception("throttlingException", "{}")), METADATA));
    }

    @Test
    void skipsHeadersOfEveryValueType() {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put("t", HeaderValue.fromBoolean(true));
        headers.put("f", HeaderValue.fromBoolean(false));
        headers.put("b", HeaderValue.fromByte((byte) 7));
        headers.put("s", HeaderValue.fromShort((short) 300));
        headers.put("i", HeaderValue.fromInteger(70000));
        headers.put("l", HeaderValue.fromLong(1L << 40));
        headers.put("bytes", HeaderValue.fromByteArray(new byte[300]));
        headers.put("when", HeaderValue.fromTimestamp(Instant.parse("2026-11-22T00:00:00Z")));
        headers.put("id", HeaderValue.fromUuid(UUID.randomUUID()));
        headers.put(":message-type", HeaderValue.fromString("event"));
        headers.put("other", HeaderValue.fromString("metadata"));
        headers.put(":event-type", HeaderValue.fromString("metadata"));
        assertTrue(EventHeaderScan.isEvent(wrap(encode(headers)), METADATA));
    }

    @Test
    void readsOnlyBetweenPositionAndLimit() {
        byte[] frame = TestFrames.event("metadata", "{\"usage\":{}}");
        byte[] padded = new byte[frame.length + 20];
        System.arraycopy(frame, 0, padded, 10, frame.length);
        assertTrue(EventHeaderScan.isEvent(ByteBuffer.wrap(padded, 10, frame.length).asReadOnlyBuffer(), METADATA));
    }

    @Test
    void headersThatRunPastTheFrameAreNotRead() {
        byte[] frame = TestFrames.event("metadata", "{}");
        for (int cut = 0; cut < 60; cut++) {
            assertFalse(EventHeaderScan.isEvent(ByteBuffer.wrap(frame, 0, cut), METADATA), "cut at " + cut);
        }
        byte[] lying = frame.clone();
        lying[7] = (byte) 0xff; // headers length far past the frame
        assertFalse(EventHeaderScan.isEvent(wrap(lying), METADATA));
        byte[] unknownType = frame.clone();
        unknownType[12 + 1 + ":event-type".length()] = 42;
        assertFalse(EventHeaderScan.isEvent(wrap(unknownType), METADATA));
        byte[] longString = frame.clone();
        int lengthAt = 12 + 1 + ":event-type".length() + 1;
        longString[lengthAt] = 0x7f; // string length past the headers
        assertFalse(EventHeaderScan.isEvent(wrap(longString), METADATA));
        assertFalse(EventHeaderScan.isEvent(wrap(Arrays.copyOf(frame, 11)), METADATA));
    }

    private static ByteBuffer wrap(byte[] frame) {
        return ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }

    private static byte[] encode(Map<String, HeaderValue> headers) {
        ByteBuffer buffer = new Message(headers, "{}".getBytes(StandardCharsets.UTF_8)).toByteBuffer();
        byte[] frame = new byte[buffer.remaining()];
        buffer.get(frame);
        return frame;
    }
}
