package io.bedrockgateway.streaming;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits an {@code application/vnd.amazon.eventstream} byte stream into whole frames as chunks arrive, so that
 * the relay forwards only complete frames. Holding back a partial frame is what lets the gateway end a broken
 * stream with a well-formed exception frame instead of corrupting the last one.
 *
 * <p>Frame layout (AWS event stream): 4-byte total length, 4-byte headers length, 4-byte prelude CRC, headers,
 * payload, 4-byte message CRC; all big-endian. CRCs are not re-checked here: the bytes are relayed unchanged and
 * the client verifies them.
 *
 * <p>Not thread-safe: one instance per stream, driven by one thread at a time (the relay's serialized drain loop).
 */
public final class EventStreamFramer {
    /** The event-stream specification caps a message at 16 MiB. */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    private static final int PRELUDE_BYTES = 12;
    private static final int MIN_FRAME_BYTES = 16;

    private final Consumer<ByteBuffer> frameListener;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private long frames;

    /**
     * @param frameListener sees each complete frame (a read-only view, valid only during the call) so that usage
     *                      can be read incrementally; may be {@code null}
     */
    public EventStreamFramer(Consumer<ByteBuffer> frameListener) {
        this.frameListener = frameListener;
    }

    /**
     * Takes the next chunk and returns the bytes of every frame it completes, in order (possibly none, as an
     * empty array).
     *
     * <p>When nothing is pending and the chunk is exactly whole frames, the chunk's own backing array is returned
     * without a copy (the usual case: a chunk per frame, or a few frames that arrived together). So a caller that
     * passes a writable heap buffer hands the framer that buffer's array: it must not change it afterwards.
     *
     * @throws MalformedFrameException when a prelude announces an impossible length
     */
    public byte[] accept(ByteBuffer chunk) {
        if (pendingLength == 0 && isWholeArray(chunk) && endsOnFrameBoundary(chunk)) {
            showFrames(chunk);
            chunk.position(chunk.limit());
            return chunk.array();
        }
        int incoming = chunk.remaining();
        ensureCapacity(pendingLength + incoming);
        chunk.get(pending, pendingLength, incoming);
        pendingLength += incoming;

        int offset = 0;
        while (pendingLength - offset >= PRELUDE_BYTES) {
            int total = readInt(pending, offset);
            checkLength(total);
            if (pendingLength - offset < total) {
                break;
            }
            if (frameListener != null) {
                frameListener.accept(ByteBuffer.wrap(pending, offset, total).asReadOnlyBuffer());
            }
            frames++;
            offset += total;
        }
        if (offset == 0) {
            return EMPTY;
        }
        byte[] complete = Arrays.copyOfRange(pending, 0, offset);
        System.arraycopy(pending, offset, pending, 0, pendingLength - offset);
        pendingLength -= offset;
        return complete;
    }

    private static boolean isWholeArray(ByteBuffer chunk) {
        return chunk.hasArray() && chunk.arrayOffset() == 0 && chunk.position() == 0
                && chunk.limit() == chunk.array().length && chunk.limit() > 0;
    }

    /** Whether the chunk (a whole array, {@link #isWholeArray}) is one or more whole frames and nothing more. */
    private static boolean endsOnFrameBoundary(ByteBuffer chunk) {
        byte[] bytes = chunk.array();
        int end = bytes.length;
        int at = 0;
        while (end - at >= PRELUDE_BYTES) {
            int total = readInt(bytes, at);
            checkLength(total);
            if (end - at < total) {
                return false;
            }
            at += total;
        }
        return at == end;
    }

    private void showFrames(ByteBuffer chunk) {
        byte[] bytes = chunk.array();
        for (int at = 0; at < bytes.length; at += readInt(bytes, at)) {
            if (frameListener != null) {
                frameListener.accept(ByteBuffer.wrap(bytes, at, readInt(bytes, at)).asReadOnlyBuffer());
            }
            frames++;
        }
    }

    private static void checkLength(int total) {
        if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES) {
            throw new MalformedFrameException("event-stream frame with invalid length " + total);
        }
    }

    /** Whether the bytes seen so far end exactly on a frame boundary. */
    public boolean atFrameBoundary() {
        return pendingLength == 0;
    }

    /** Number of complete frames seen. */
    public long frames() {
        return frames;
    }

    private void ensureCapacity(int needed) {
        if (needed > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(needed, pending.length * 2));
        }
    }

    private static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
    }

    private static final byte[] EMPTY = new byte[0];

    /** The upstream sent something that is not an event stream. */
    public static final class MalformedFrameException extends RuntimeException {
        public MalformedFrameException(String message) {
            super(message, null, false, false);
        }
    }
}
