package io.bedrockgateway.streaming;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstFrameGateTest {
    private final byte[] throttled = EventStreamFrames.exception("throttlingException", "slow down");
    private final byte[] other = EventStreamFrames.exception("validationException", "bad");

    /** Records the gate's decision and what an opened relay receives. */
    private static final class Probe implements FirstFrameGate.Listener, Subscriber<ByteBuffer> {
        byte[] first;
        Throwable noFrame;
        boolean noFrameCalled;
        boolean openOnFirst = true;
        final List<byte[]> relayed = new ArrayList<>();
        boolean completed;

        @Override
        public void onFirstFrames(FirstFrameGate gate, byte[] frames) {
            first = frames;
            if (openOnFirst) {
                gate.subscribe(this);
            } else {
                gate.cancel();
            }
        }

        @Override
        public void onNoFrame(FirstFrameGate gate, Throwable failure) {
            noFrameCalled = true;
            noFrame = failure;
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer chunk) {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            relayed.add(bytes);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    private static final class Upstream implements Subscription {
        final AtomicLong requested = new AtomicLong();
        boolean cancelled;

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Test
    void holdsBackUntilAWholeFrameThenHandsOverWithTheSameFramer() {
        Probe probe = new Probe();
        FirstFrameGate gate = new FirstFrameGate(new EventStreamFramer(null), probe);
        Upstream upstream = new Upstream();
        gate.onSubscribe(upstream);
        assertEquals(1, upstream.requested.get());
        gate.onNext(ByteBuffer.wrap(other, 0, 10)); // a partial prelude: nothing decided, more requested
        assertNull(probe.first);
        assertEquals(2, upstream.requested.get());
        byte[] rest = concat(Arrays.copyOfRange(other, 10, other.length), Arrays.copyOfRange(throttled, 0, 5));
        gate.onNext(ByteBuffer.wrap(rest));
        assertArrayEquals(other, probe.first, "exactly the first whole frame");
        assertArrayEquals(throttled, gate.framer().accept(ByteBuffer.wrap(throttled, 5, throttled.length - 5)),
                "the relay continues with the gate's framer, which holds the partial next frame");
        gate.onNext(ByteBuffer.wrap(new byte[]{1, 2}));
        gate.onComplete();
        assertEquals(1, probe.relayed.size(), "once open, chunks go straight to the relay");
        assertTrue(probe.completed);
    }

    @Test
    void aStreamEndingOrFailingBeforeAFrameIsReported() {
        Probe ended = new Probe();
        FirstFrameGate gate = new FirstFrameGate(new EventStreamFramer(null), ended);
        gate.onSubscribe(new Upstream());
        gate.onNext(ByteBuffer.wrap(other, 0, 20));
        gate.onComplete();
        assertTrue(ended.noFrameCalled);
        assertNull(ended.noFrame);

        Probe failed = new Probe();
        FirstFrameGate broken = new FirstFrameGate(new EventStreamFramer(null), failed);
        broken.onSubscribe(new Upstream());
        IllegalStateException cut = new IllegalStateException("cut");
        broken.onError(cut);
        assertSame(cut, failed.noFrame);
    }

    @Test
    void cancellingDropsLateData() {
        Probe probe = new Probe();
        probe.openOnFirst = false;
        FirstFrameGate gate = new FirstFrameGate(new EventStreamFramer(null), probe);
        Upstream upstream = new Upstream();
        gate.onSubscribe(upstream);
        gate.onNext(ByteBuffer.wrap(concat(throttled, other)));
        assertTrue(upstream.cancelled);
        gate.onNext(ByteBuffer.wrap(other));
        gate.onComplete();
        assertTrue(probe.relayed.isEmpty());
        assertTrue(!probe.noFrameCalled, "decided once");
    }

    @Test
    void theFirstFramesExceptionTypeIsRead() {
        assertEquals("throttlingException", EventStreamFrames.exceptionTypeOfFirst(concat(throttled, other)));
        assertEquals("validationException", EventStreamFrames.exceptionTypeOfFirst(other));
        assertNull(EventStreamFrames.exceptionTypeOfFirst(new byte[3]));
        assertNull(EventStreamFrames.exceptionTypeOfFirst(Arrays.copyOf(throttled, throttled.length - 1)));
        assertTrue(EventStreamFrames.RETRYABLE_EXCEPTIONS.contains("throttlingException"));
        assertTrue(!EventStreamFrames.RETRYABLE_EXCEPTIONS.contains("validationException"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
