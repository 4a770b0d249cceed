package io.bedrockgateway.streaming;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a client request body with non-blocking servlet I/O into one capped buffer. SigV4 signs the payload hash,
 * so the whole body is needed before signing; keeping it also makes the upstream request repeatable, which is what
 * makes a retry on another deployment legal.
 *
 * <p>Thread-safety: the container calls the {@link ReadListener} methods one at a time; the callback runs on the
 * container thread that saw the end (or the failure).
 */
public final class BoundedBodyReader implements ReadListener {

    /** Receives the outcome, exactly once. */
    public interface Callback {
        void onBody(byte[] body, int length);

        /**
         * The body is larger than the cap. Called once the client has finished sending (the excess is read and
         * dropped, up to a bound), so that it reads the error instead of failing on a reset connection.
         */
        void onTooLarge(long limit);

        /** The client connection failed while reading. */
        void onReadError(Throwable cause);
    }

    /** How many bytes past the cap are read and dropped before the connection is given up on. */
    public static final long DISCARD_ALLOWANCE = 64L * 1024 * 1024;

    private final ServletInputStream clientInput;
    private final long limit;
    private final Callback callback;
    private byte[] buffer;
    private int length;
    private boolean done;
    private boolean discarding;
    private long discarded;

    /**
     * @param expectedLength the declared {@code Content-Length}, or -1 when unknown (chunked or HTTP/2); a
     *                       declared length over the cap starts in discard mode at once
     */
    public BoundedBodyReader(ServletInputStream clientInput, long expectedLength, long limit, Callback callback) {
        this.clientInput = clientInput;
        this.limit = limit;
        this.callback = callback;
        this.discarding = expectedLength > limit;
        int initial = expectedLength >= 0 && !discarding ? (int) Math.min(expectedLength, limit) : 8192;
        this.buffer = new byte[Math.max(initial, 16)];
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!done && clientInput.isReady()) {
            if (discarding) {
                discard();
                continue;
            }
            if (length == buffer.length) {
                if (buffer.length >= limit) {
                    // Read one more byte to tell "exactly at the limit" from "over it".
                    int probe = clientInput.read();
                    if (probe < 0) {
                        finish();
                        return;
                    }
                    discarding = true;
                    discarded = length + 1L;
                    continue;
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, (long) buffer.length * 2));
            }
            int read = clientInput.read(buffer, length, buffer.length - length);
            if (read < 0) {
                finish();
                return;
            }
            length += read;
        }
    }

    private void discard() throws IOException {
        int read = clientInput.read(buffer, 0, buffer.length);
        if (read < 0) {
            tooLarge();
            return;
        }
        discarded += read;
        if (discarded - limit > DISCARD_ALLOWANCE) {
            tooLarge(); // enough: answer now; the container closes a connection with unread input
        }
    }

    private void tooLarge() {
        if (!done) {
            done = true;
            callback.onTooLarge(limit);
        }
    }

    @Override
    public void onAllDataRead() {
        if (discarding) {
            tooLarge();
        } else {
            finish();
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!done) {
            done = true;
            callback.onReadError(t);
        }
    }

    private void finish() {
        if (!done) {
            done = true;
            callback.onBody(buffer, length);
        }
    }
}
