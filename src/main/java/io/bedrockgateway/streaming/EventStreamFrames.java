package io.bedrockgateway.streaming;

import io.bedrockgateway.errors.AwsErrorWriter;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds event-stream frames the gateway itself emits, and reads the one thing it needs from upstream frames. The
 * gateway's own frame is the exception frame that ends a stream whose upstream failed after the response was
 * committed: the SDKs raise it as a typed exception instead of hanging or reporting success. Stateless and
 * thread-safe.
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
    /** Exception frames that say "try again elsewhere": a stream opening with one of them may be retried. */
    public static final Set<String> RETRYABLE_EXCEPTIONS = Set.of("throttlingException",
            "serviceUnavailableException", INTERNAL_SERVER_EXCEPTION, "modelNotReadyException");

    /**
     * The {@code :exception-type} of the first frame in {@code frames} (whole frames, as the framer returns them),
     * or {@code null} when that frame is no exception or cannot be read.
     */
    public static String exceptionTypeOfFirst(byte[] frames) {
        if (frames.length < 16) {
            return null;
        }
        int total = ByteBuffer.wrap(frames).getInt(0);
        if (total < 16 || total > frames.length) {
            return null;
        }
        try {
            Message message = Message.decode(ByteBuffer.wrap(frames, 0, total));
            HeaderValue type = message.getHeaders().get(":message-type");
            HeaderValue exception = message.getHeaders().get(":exception-type");
            return type != null && "exception".equals(type.getString()) && exception != null
                    ? exception.getString() : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

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
