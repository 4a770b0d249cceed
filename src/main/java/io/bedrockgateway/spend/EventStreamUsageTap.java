package io.bedrockgateway.spend;

import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of the taps on {@code application/vnd.amazon.eventstream} responses: decodes each frame (checking its CRCs),
 * drops exception frames and, for any other, hands the {@code :event-type} and payload to {@link #onEvent}. A frame
 * that cannot be decoded, or an event a subclass fails on, is logged at {@code FINE} and skipped: a tap never
 * throws into the relay.
 *
 * <p>Thread-safety: as {@link UsageTap}. Frames arrive from one thread at a time; subclasses publish what they read
 * through volatile fields so that {@link #usage()} may be called from any thread.
 */
abstract class EventStreamUsageTap implements UsageTap {
    private static final Logger LOG = Logger.getLogger(EventStreamUsageTap.class.getName());

    private volatile boolean ignored;

    @Override
    public void onHead(int status, Function<String, String> headers) {
        // Error answers carry no usage; their bodies are not event streams anyway.
        ignored = status < 200 || status > 299;
    }

    @Override
    public final void onFrame(ByteBuffer frame) {
        if (ignored || frame == null) {
            return;
        }
        try {
            Message message = Message.decode(frame.duplicate());
            if (!"event".equals(header(message, ":message-type"))) {
                return;
            }
            String eventType = header(message, ":event-type");
            if (eventType != null) {
                onEvent(eventType, message.getPayload());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, e, () -> getClass().getSimpleName() + ": skipping a frame it cannot read");
        }
    }

    /** Event streams come as frames only; stray body chunks carry nothing to read. */
    @Override
    public final void onBodyChunk(ByteBuffer chunk) {
    }

    /**
     * One event. Implementations look at {@code eventType} before parsing anything, and may throw on a malformed
     * payload (the frame is then skipped).
     */
    abstract void onEvent(String eventType, byte[] payload);

    private static String header(Message message, String name) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? null : value.getString();
    }
}
