package io.bedrockgateway.spend;

import io.bedrockgateway.streaming.EventStreamFramer;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Builds Bedrock event-stream frames and feeds them to taps as the relay does. Stateless. */
final class TestFrames {
    private TestFrames() {
    }

    /** An event frame with Bedrock's three headers and a JSON payload. */
    static byte[] event(String eventType, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return encode(new Message(headers, json.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] exception(String exceptionType, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(exceptionType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return encode(new Message(headers, json.getBytes(StandardCharsets.UTF_8)));
    }

    /** An InvokeModelWithResponseStream {@code chunk}: the provider's event, base64 in {@code bytes}, padded. */
    static byte[] chunk(String providerEventJson) {
        String bytes = Base64.getEncoder().encodeToString(providerEventJson.getBytes(StandardCharsets.UTF_8));
        return event("chunk", "{\"bytes\":\"" + bytes + "\",\"p\":\"abcdefgh\"}");
    }

    static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        return all.toByteArray();
    }

    /** Feeds a stream in chunks of {@code chunkSize} bytes through the relay's framer into the tap. */
    static void feed(UsageTap tap, int chunkSize, byte[] stream) {
        EventStreamFramer framer = new EventStreamFramer(tap::onFrame);
        for (int offset = 0; offset < stream.length; offset += chunkSize) {
            int length = Math.min(chunkSize, stream.length - offset);
            framer.accept(ByteBuffer.wrap(stream, offset, length).asReadOnlyBuffer());
        }
    }

    /** Feeds a body in chunks of {@code chunkSize} bytes. */
    static void feedBody(UsageTap tap, int chunkSize, byte[] body) {
        for (int offset = 0; offset < body.length; offset += chunkSize) {
            int length = Math.min(chunkSize, body.length - offset);
            tap.onBodyChunk(ByteBuffer.wrap(body, offset, length).asReadOnlyBuffer());
        }
    }

    static void feedBody(UsageTap tap, int chunkSize, String body) {
        feedBody(tap, chunkSize, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A case-insensitive header lookup, as the relay gives taps. */
    static Function<String, String> headers(String... namesAndValues) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i].toLowerCase(Locale.ROOT), namesAndValues[i + 1]);
        }
        return map::get;
    }

    private static byte[] encode(Message message) {
        ByteBuffer buffer = message.toByteBuffer();
        byte[] frame = new byte[buffer.remaining()];
        buffer.get(frame);
        return frame;
    }
}
