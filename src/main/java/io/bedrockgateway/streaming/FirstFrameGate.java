package io.bedrockgateway.streaming;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.ByteBuffer;

/**
 * Holds an event-stream response back until its first whole frame has arrived. Until then nothing has gone to the
 * client, so the gateway can still try another deployment when the stream fails before its first frame, or when
 * that frame is a retryable exception (throttling, for one: Bedrock may open a stream with it). Once opened (by
 * {@link #subscribe}), the gate passes every signal straight through to the relay, which goes on with the gate's
 * framer (a partial frame may be pending in it).
 *
 * <p>Thread-safety: the publisher serializes its signals. The listener must decide inside its callback, on that
 * thread: {@link #subscribe} (open) or {@link #cancel} before returning, so that no signal slips between the
 * decision and the relay.
 */
public final class FirstFrameGate implements Subscriber<ByteBuffer>, Subscription, Publisher<ByteBuffer> {

    /** Told once: either the first frames arrived, or the stream ended without one. */
    public interface Listener {
        /** @param frames the first whole frames; the listener calls {@link #subscribe} (open) or {@link #cancel} */
        void onFirstFrames(FirstFrameGate gate, byte[] frames);

        /** @param failure why the stream ended without a whole frame; {@code null} when it simply ended */
        void onNoFrame(FirstFrameGate gate, Throwable failure);
    }

    private final EventStreamFramer framer;
    private final Listener listener;
    private volatile Subscription upstream;
    private volatile Subscriber<? super ByteBuffer> relay;
    private volatile boolean decided;

    public FirstFrameGate(EventStreamFramer framer, Listener listener) {
        this.framer = framer;
        this.listener = listener;
    }

    /** The framer the relay must continue with. */
    public EventStreamFramer framer() {
        return framer;
    }

    /** Opens the gate: hands the stream to {@code downstream}, which then drives demand. Call at most once. */
    @Override
    public void subscribe(Subscriber<? super ByteBuffer> downstream) {
        relay = downstream;
        downstream.onSubscribe(this);
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        s.request(1);
    }

    @Override
    public void onNext(ByteBuffer chunk) {
        Subscriber<? super ByteBuffer> downstream = relay;
        if (downstream != null) {
            downstream.onNext(chunk);
            return;
        }
        if (decided) {
            return; // cancelled: late data is dropped
        }
        byte[] frames;
        try {
            frames = framer.accept(chunk);
        } catch (EventStreamFramer.MalformedFrameException malformed) {
            decided = true;
            upstream.cancel();
            listener.onNoFrame(this, malformed);
            return;
        }
        if (frames.length == 0) {
            upstream.request(1);
            return;
        }
        decided = true;
        listener.onFirstFrames(this, frames);
    }

    @Override
    public void onError(Throwable failure) {
        Subscriber<? super ByteBuffer> downstream = relay;
        if (downstream != null) {
            downstream.onError(failure);
        } else if (!decided) {
            decided = true;
            listener.onNoFrame(this, failure);
        }
    }

    @Override
    public void onComplete() {
        Subscriber<? super ByteBuffer> downstream = relay;
        if (downstream != null) {
            downstream.onComplete();
        } else if (!decided) {
            decided = true;
            listener.onNoFrame(this, null);
        }
    }

    @Override
    public void request(long n) {
        upstream.request(n);
    }

    @Override
    public void cancel() {
        decided = true;
        Subscription s = upstream;
        if (s != null) {
            s.cancel();
        }
    }
}
