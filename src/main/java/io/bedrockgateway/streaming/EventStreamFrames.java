package io.bedrockgateway.streaming;

import io.bedrockgateway.errors.AwsErrorWriter;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds event-stream frames the gateway itself emits. The only one today is the exception frame that ends a
 * stream whose upstream failed after the response was committed: the SDKs raise it as a typed exception
 * instead of hanging or reporting success. Stateless and thread-safe.
 */
public final class EventStreamFrames {
    /** Known to every Bedrock streaming operation (converse-stream, invoke stream, agents, flows). */
    public static final String INTERNAL_SERVER_EXCEPTION = "internalServerException";

    private EventStreamFrames() {
    }

    /**
     * An exception frame: headers {@code :message-type=exception}, {@code :exception-type}, {@code :content-type}
     * and a JSON body {@code {"message": ...}}.
     */
    public static byte[] exception(String exceptionType, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("exception"));
        headers.put(":exception-type", HeaderValue.fromString(exceptionType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        ByteArrayOutputStream frame = new ByteArrayOutputStream(128);
        new Message(headers, AwsErrorWriter.body(message)).encode(frame);
        return frame.toByteArray();
    }
}
