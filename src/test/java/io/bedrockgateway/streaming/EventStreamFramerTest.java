package io.bedrockgateway.streaming;

import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventStreamFramerTest {

    private static byte[] frame(String eventType, String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Message(Map.of(":event-type", HeaderValue.fromString(eventType),
                ":message-type", HeaderValue.fromString("event")), json.getBytes()).encode(out);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void emitsOnlyWholeFramesWhateverTheChunking() {
        byte[] a = frame("messageStart", "{\"role\":\"assistant\"}");
        byte[] b = frame("contentBlockDelta", "{\"delta\":{\"text\":\"hello\"}}");
        byte[] c = frame("messageStop", "{\"stopReason\":\"end_turn\"}");
        byte[] stream = concat(a, b, c);
        for (int chunkSize = 1; chunkSize <= stream.length; chunkSize++) {
            List<ByteBuffer> seen = new ArrayList<>();
            EventStreamFramer framer = new EventStreamFramer(f -> seen.add(copy(f)));
            ByteArrayOutputStream relayed = new ByteArrayOutputStream();
            for (int offset = 0; offset < stream.length; offset += chunkSize) {
                int n = Math.min(chunkSize, stream.length - offset);
                relayed.writeBytes(framer.accept(ByteBuffer.wrap(stream, offset, n)));
                int boundaryCheck = relayed.size();
                assertTrue(boundaryCheck == 0 || boundaryCheck == a.length || boundaryCheck == a.length + b.length
                        || boundaryCheck == stream.length, "relayed a partial frame at chunk size " + chunkSize);
            }
            assertArrayEquals(stream, relayed.toByteArray());
            assertTrue(framer.atFrameBoundary());
            assertEquals(3, framer.frames());
            assertEquals(3, seen.size());
            assertEquals("contentBlockDelta",
                    Message.decode(seen.get(1)).getHeaders().get(":event-type").getString());
        }
    }

    @Test
    void wholeFrameChunksPassWithoutACopyAndMixWithSplitOnes() {
        byte[] a = frame("messageStart", "{\"role\":\"assistant\"}");
        byte[] b = frame("contentBlockDelta", "{\"delta\":{\"text\":\"hello\"}}");
        byte[] c = frame("messageStop", "{\"stopReason\":\"end_turn\"}");
        List<String> seen = new ArrayList<>();
        EventStreamFramer framer = new EventStreamFramer(
                f -> seen.add(Message.decode(f).getHeaders().get(":event-type").getString()));
        byte[] ab = concat(a, b);
        assertSame(ab, framer.accept(ByteBuffer.wrap(ab)), "whole frames, nothing pending: the chunk's own array");
        byte[] cHead = Arrays.copyOf(c, 5);
        byte[] cTailAndA = concat(Arrays.copyOfRange(c, 5, c.length), a);
        assertEquals(0, framer.accept(ByteBuffer.wrap(cHead)).length);
        byte[] relayed = framer.accept(ByteBuffer.wrap(cTailAndA));
        assertArrayEquals(concat(c, a), relayed);
        byte[] b2 = b.clone();
        assertSame(b2, framer.accept(ByteBuffer.wrap(b2)));
        byte[] aPlusPart = concat(a, Arrays.copyOf(b, 3));
        assertArrayEquals(a, framer.accept(ByteBuffer.wrap(aPlusPart)), "a trailing partial frame is held back");
        assertFalse(framer.atFrameBoundary());
        assertEquals(List.of("messageStart", "contentBlockDelta", "messageStop", "messageStart",
                "contentBlockDelta", "messageStart"), seen, "each frame shown to the listener once, in order");
        assertEquals(6, framer.frames());
        assertThrows(EventStreamFramer.MalformedFrameException.class,
                () -> new EventStreamFramer(null).accept(ByteBuffer.wrap(new byte[16])));
    }

    @Test
    void reportsAPartialTail() {
        byte[] a = frame("chunk", "{}");
        EventStreamFramer framer = new EventStreamFramer(null);
        assertEquals(0, framer.accept(ByteBuffer.wrap(a, 0, a.length - 1)).length);
        assertFalse(framer.atFrameBoundary());
    }

    @Test
    void rejectsAnImpossibleLength() {
        byte[] garbage = "{\"message\":\"not an event stream\"}".getBytes();
        EventStreamFramer framer = new EventStreamFramer(null);
        assertThrows(EventStreamFramer.MalformedFrameException.class, () -> framer.accept(ByteBuffer.wrap(garbage)));
    }

    @Test
    void exceptionFrameDecodesAsAnAwsException() {
        Message message = Message.decode(ByteBuffer.wrap(
                EventStreamFrames.exception(EventStreamFrames.INTERNAL_SERVER_EXCEPTION, "upstream \"cut\"")));
        assertEquals("exception", message.getHeaders().get(":message-type").getString());
        assertEquals("internalServerException", message.getHeaders().get(":exception-type").getString());
        assertEquals("{\"message\":\"upstream \\\"cut\\\"\"}", new String(message.getPayload()));
    }

    private static ByteBuffer copy(ByteBuffer view) {
        ByteBuffer copy = ByteBuffer.allocate(view.remaining());
        copy.put(view.duplicate()).flip();
        return copy;
    }
}
