package io.bedrockgateway.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes {@code application/vnd.amazon.eventstream} frames the way Bedrock sends them. Stateless and thread-safe.
 */
final class EventFrames {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private EventFrames() {
    }

    /** An event frame: {@code :event-type}, {@code :content-type: application/json}, {@code :message-type: event}. */
    static byte[] event(String eventType, JsonNode payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return encode(new Message(headers, bytes(payload)));
    }

    /** An exception frame, as Bedrock ends a stream that fails after the response head went out. */
    static byte[] exception(String exceptionType, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(exceptionType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return encode(new Message(headers, bytes(JSON.createObjectNode().put("message", message))));
    }

    /**
     * Adds Bedrock's {@code "p"} padding member (random-length on AWS; deterministic here) so clients are seen to
     * tolerate members they do not model.
     */
    static ObjectNode padded(ObjectNode payload, int index) {
        return payload.put("p", PADDING.substring(0, 1 + index % PADDING.length()));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encode(Message message) {
        ByteBuffer buffer = message.toByteBuffer();
        byte[] frame = new byte[buffer.remaining()];
        buffer.get(frame);
        return frame;
    }
}
