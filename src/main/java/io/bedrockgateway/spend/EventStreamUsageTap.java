package io.bedrockgateway.spend;

import software.amazon.eventstream.Message;

import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of the taps on {@code application/vnd.amazon.eventstream} responses. Each tap reads one event type: a frame
 * is looked at in place ({@link EventHeaderScan}) and dropped unless it is an {@code event} of that type; only those
 * are decoded (checking their CRCs) and handed to {@link #onEvent}. A stream's text deltas, most of its frames, so
 * cost the relay a few byte comparisons each. A frame that cannot be decoded, or an event a subclass fails on, is
 * logged at {@code FINE} and skipped: a tap never throws into the relay.
 *
 * <p>Thread-safety: as {@link UsageTap}. Frames arrive from one thread at a time; subclasses publish what they read
 * through volatile fields so that {@link #usage()} may be called from any thread.
 */
abstract class EventStreamUsageTap implements UsageTap {
    private static final Logger LOG = Logger.getLogger(EventStreamUsageTap.class.getName());

    private final byte[] eventType;
    private volatile boolean ignored;

    /** @param eventType the {@code :event-type} this tap reads */
    EventStreamUsageTap(String eventType) {
        this.eventType = Bytes.ascii(eventType);
    }

    @Override
    public void onHead(int status, Function<String, String> headers) {
        // Error answers carry no usage; their bodies are not event streams anyway.
        ignored = status < 200 || status > 299;
    }

    @Override
    public final void onFrame(ByteBuffer frame) {
        if (ignored || frame == null || !EventHeaderScan.isEvent(frame, eventType)) {
            return;
        }
        try {
            onEvent(Message.decode(frame.duplicate()).getPayload());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, e, () -> getClass().getSimpleName() + ": skipping a frame it cannot read");
        }
    }

    /** Event streams come as frames only; stray body chunks carry nothing to read. */
    @Override
    public final void onBodyChunk(ByteBuffer chunk) {
    }

    /** One event of the type this tap reads, its CRCs checked. May throw on a malformed payload (then skipped). */
    abstract void onEvent(byte[] payload);
}
