package io.bedrockgateway.streaming;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the upstream body to the client with non-blocking servlet I/O, asking upstream for the next chunk only
 * once everything before it has been written: the client's demand drives the upstream reads.
 *
 * <p>For event streams only whole frames are written, each batch followed by a flush, and an upstream failure
 * after commit ends the stream with an exception frame (never JSON appended to an event stream). For other bodies
 * an upstream failure can only end the response early, which the client sees as a truncated body.
 *
 * <p>Thread-safety: upstream signals arrive on reactor threads (or on whichever thread requested), write
 * readiness on container threads. One work-in-progress drain loop serializes every write, so exactly one thread at
 * a time touches the output stream. Every use of the servlet response also holds {@code clientLock}, which
 * {@link #containerDone()} takes too: once the container has finished the request (and may recycle its objects
 * for another connection), nothing here touches them again.
 */
public final class ClientResponseSubscriber implements Subscriber<ByteBuffer> {
    private static final Logger LOG = Logger.getLogger(ClientResponseSubscriber.class.getName());

    /** How a relay ended, reported once. */
    public enum Outcome { COMPLETED, UPSTREAM_FAILED, CLIENT_GONE, IDLE_TIMEOUT }

    private final AsyncContext asyncContext;
    private final ServletOutputStream clientOutput;
    private volatile EventStreamFramer framer;
    private volatile Consumer<ByteBuffer> bodyTap;
    private volatile long firstByteNanos;
    private final Consumer<Outcome> onEnd;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final ReentrantLock clientLock = new ReentrantLock();
    /** Guarded by clientLock for writes; volatile so that a timed-out {@link #containerDone()} is still seen. */
    private volatile boolean containerDone;

    private volatile Subscription subscription;
    private volatile boolean upstreamDone;
    private volatile Throwable upstreamFailure;
    private volatile String timeoutMessage;
    private volatile boolean clientGone;
    /** The client is connected but took nothing for too long: the gateway ends the exchange itself. */
    private volatile boolean clientStalled;
    private volatile long lastUpstreamActivityNanos = System.nanoTime();
    private volatile long lastClientProgressNanos = System.nanoTime();
    private volatile boolean awaitingUpstream;
    private boolean needsFlush;
    private boolean failureHandled;
    private boolean ended;
    private boolean exceptionFrameQueued;
    private Outcome pendingOutcome;

    /**
     * @param onEnd called exactly once when the relay is over, on whichever thread ended it
     */
    public ClientResponseSubscriber(AsyncContext asyncContext, ServletOutputStream clientOutput,
                                    Consumer<Outcome> onEnd) {
        this.asyncContext = asyncContext;
        this.clientOutput = clientOutput;
        this.onEnd = onEnd;
    }

    /**
     * Relays an event stream: whole frames only, flushed as they complete. Call before subscribing.
     */
    public void relayFrames(EventStreamFramer eventStreamFramer) {
        this.framer = eventStreamFramer;
    }

    /**
     * Queues bytes already taken from upstream before this relay subscribed (the first frames a
     * {@link FirstFrameGate} held back); they go out first. Call before subscribing.
     */
    public void prepend(byte[] bytes) {
        synchronized (pending) {
            pending.add(bytes);
        }
    }

    /** Shows every chunk of a body that is not an event stream to {@code tap} (a read-only view). */
    public void tapBody(Consumer<ByteBuffer> tap) {
        this.bodyTap = tap;
    }

    /** {@code System.nanoTime()} of the first body write to the client, or 0 before it. */
    public long firstByteNanos() {
        return firstByteNanos;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        drain();
    }

    @Override
    public void onNext(ByteBuffer chunk) {
        lastUpstreamActivityNanos = System.nanoTime();
        awaitingUpstream = false;
        byte[] bytes;
        if (framer == null) {
            Consumer<ByteBuffer> tap = bodyTap;
            if (tap != null) {
                tap.accept(chunk.asReadOnlyBuffer());
            }
            bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
        } else {
            try {
                bytes = framer.accept(chunk);
            } catch (EventStreamFramer.MalformedFrameException e) {
                upstreamFailure = e;
                drain();
                return;
            }
        }
        if (bytes.length > 0) {
            synchronized (pending) {
                pending.add(bytes);
            }
        }
        drain();
    }

    @Override
    public void onError(Throwable t) {
        upstreamFailure = t;
        drain();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
        drain();
    }

    /**
     * Runs {@code action} on the servlet response (status, headers) unless the container is already done with the
     * request.
     *
     * @return whether it ran
     */
    public boolean withClientResponse(Runnable action) {
        clientLock.lock();
        try {
            if (containerDone) {
                return false;
            }
            action.run();
            return true;
        } finally {
            clientLock.unlock();
        }
    }

    /**
     * The container has finished the request ({@code AsyncListener.onComplete} or {@code onError}, on a container
     * thread). Waits for a servlet call in progress elsewhere, boundedly, so that none overlaps the recycling of
     * the request; then ends the relay without touching the response again.
     */
    public void containerDone() {
        boolean locked = false;
        try {
            locked = clientLock.tryLock(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        containerDone = true;
        if (locked) {
            clientLock.unlock();
        }
        clientGone();
    }

    /** The listener to register with {@code ServletOutputStream.setWriteListener}. */
    public WriteListener writeListener() {
        return new WriteListener() {
            @Override
            public void onWritePossible() {
                lastClientProgressNanos = System.nanoTime();
                drain();
            }

            @Override
            public void onError(Throwable clientFailure) {
                LOG.log(Level.FINE, "client write failed", clientFailure);
                clientGone();
            }
        };
    }

    /**
     * Sends a complete body of the gateway's own (an error, once the write listener is registered) and ends the
     * response. Only valid before any upstream subscription.
     */
    public void sendFinal(byte[] body) {
        synchronized (pending) {
            pending.add(body);
        }
        upstreamDone = true;
        drain();
    }

    /** The client disconnected (seen by an {@code AsyncListener} or a failed write). */
    public void clientGone() {
        clientGone = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        drain();
    }

    /**
     * Called periodically by a watchdog. Ends the relay when upstream has been silent for {@code upstreamIdleNanos}
     * while the gateway was waiting for it, or the client has accepted nothing for {@code clientStallNanos}.
     *
     * @return whether the relay is over (the watchdog can stop)
     */
    public boolean checkIdle(long upstreamIdleNanos, long clientStallNanos) {
        long now = System.nanoTime();
        if (awaitingUpstream && now - lastUpstreamActivityNanos > upstreamIdleNanos) {
            timeoutMessage = "Upstream stream idle for more than " + (upstreamIdleNanos / 1_000_000_000L) + "s";
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            drain();
        } else if (!awaitingUpstream && now - lastClientProgressNanos > clientStallNanos) {
            LOG.fine("client stalled; ending the relay");
            clientStalled = true;
            clientGone();
        }
        return isEnded();
    }

    public boolean isEnded() {
        synchronized (pending) {
            return ended;
        }
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            clientLock.lock();
            try {
                drainOnce();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "client write failed", e);
                clientGone = true;
                Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                end(Outcome.CLIENT_GONE);
            } finally {
                clientLock.unlock();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainOnce() throws IOException {
        if (ended) {
            return;
        }
        if (clientGone || containerDone) {
            end(Outcome.CLIENT_GONE);
            return;
        }
        while (true) {
            byte[] next;
            synchronized (pending) {
                next = pending.peek();
            }
            if (next == null) {
                break;
            }
            if (!clientOutput.isReady()) {
                return; // the container calls onWritePossible when the client has room again
            }
            synchronized (pending) {
                pending.poll();
            }
            clientOutput.write(next);
            lastClientProgressNanos = System.nanoTime();
            if (firstByteNanos == 0) {
                firstByteNanos = lastClientProgressNanos;
            }
            needsFlush = framer != null;
        }
        if (needsFlush) {
            if (!clientOutput.isReady()) {
                return;
            }
            needsFlush = false;
            clientOutput.flush();
            if (!clientOutput.isReady()) {
                return;
            }
        }
        if (endOnFailure()) {
            return;
        }
        if (exceptionFrameQueued) {
            exceptionFrameQueued = false;
            drainOnce(); // writes the exception frame; failureHandled keeps this to one extra pass
            return;
        }
        if (upstreamDone) {
            end(Outcome.COMPLETED);
            return;
        }
        Subscription s = subscription;
        if (s != null && !awaitingUpstream) {
            awaitingUpstream = true;
            lastUpstreamActivityNanos = System.nanoTime();
            s.request(1);
        }
    }

    /** @return whether the relay is over; queues an exception frame instead when the stream can take one */
    private boolean endOnFailure() {
        Throwable failure = upstreamFailure;
        String timeout = timeoutMessage;
        if (failure == null && timeout == null) {
            return false;
        }
        Outcome outcome = timeout != null ? Outcome.IDLE_TIMEOUT : Outcome.UPSTREAM_FAILED;
        // Only whole frames are ever relayed, so the client always stands at a frame boundary and can take an
        // exception frame; a partial frame held back by the framer is dropped.
        if (!failureHandled && framer != null) {
            failureHandled = true;
            String message = timeout != null ? timeout
                    : failure instanceof UpstreamResponsePublisher.BufferLimitException ? failure.getMessage()
                    : "The upstream stream failed before it was complete; the response is incomplete";
            synchronized (pending) {
                pending.add(EventStreamFrames.exception(EventStreamFrames.INTERNAL_SERVER_EXCEPTION, message));
            }
            upstreamDone = true;
            upstreamFailure = null;
            timeoutMessage = null;
            pendingOutcome = outcome;
            exceptionFrameQueued = true;
            return false;
        }
        end(outcome);
        return true;
    }

    private void end(Outcome outcome) {
        synchronized (pending) {
            if (ended) {
                return;
            }
            ended = true;
            pending.clear();
        }
        Outcome reported = outcome == Outcome.COMPLETED && pendingOutcome != null ? pendingOutcome : outcome;
        try {
            onEnd.accept(reported);
        } finally {
            // After a client I/O failure the container runs its own error handling (onError, then it completes
            // the request on a container thread); completing from here as well races it, and a late complete()
            // can reach a request object the container has already recycled for another connection.
            if (!containerDone && (outcome != Outcome.CLIENT_GONE || clientStalled)) {
                try {
                    asyncContext.complete();
                } catch (IllegalStateException alreadyCompleted) {
                    LOG.log(Level.FINEST, "async context already completed", alreadyCompleted);
                }
            }
        }
    }
}
