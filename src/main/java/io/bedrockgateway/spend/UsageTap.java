package io.bedrockgateway.spend;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * Reads token usage from a response as it passes through the relay, without holding the body: frames and chunks
 * are looked at once and dropped. One instance per call.
 *
 * <p>Thread-safety: the relay calls {@code onHead}, {@code onFrame} and {@code onBodyChunk} from one thread at a
 * time (its serialized drain loop); {@link #usage()} may be called from any thread at any time, including after a
 * cut stream, and returns what was seen so far.
 */
public interface UsageTap {

    /**
     * The response head.
     *
     * @param status  upstream status
     * @param headers header lookup, case-insensitive, {@code null} when absent
     */
    void onHead(int status, Function<String, String> headers);

    /** One complete event-stream frame of a streamed response; a read-only view valid only during the call. */
    void onFrame(ByteBuffer frame);

    /** A chunk of a response body that is not an event stream; a read-only view valid only during the call. */
    void onBodyChunk(ByteBuffer chunk);

    /** Usage seen so far. */
    Usage usage();

    /** Creates the tap for a call; thread-safe. */
    @FunctionalInterface
    interface Factory {
        UsageTap create(io.bedrockgateway.routing.BedrockOperation operation);
    }

    /** A tap that sees nothing, for operations that report no usage. */
    UsageTap NONE = new UsageTap() {
        @Override
        public void onHead(int status, Function<String, String> headers) {
        }

        @Override
        public void onFrame(ByteBuffer frame) {
        }

        @Override
        public void onBodyChunk(ByteBuffer chunk) {
        }

        @Override
        public Usage usage() {
            return Usage.NONE;
        }
    };
}
