package io.bedrockgateway.streaming;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes an upstream response for HttpClient 5 and republishes its body as a Reactive Streams
 * {@link Publisher} of {@link ByteBuffer}s whose demand drives the upstream reads.
 *
 * <p>Back-pressure: HttpClient stops reading the socket once the consumer's capacity window is used up; this
 * class reopens the window only by the bytes the subscriber has taken. httpcore5 5.4's HTTP/1.1 reader still keeps
 * reading while its session buffer holds data, so an upstream that bursts faster than the reactor drains the socket
 * can overshoot the window; {@code maxBufferedBytes} is the hard bound for that case: past it the exchange is
 * aborted and the subscriber gets the data taken so far, then an error.
 *
 * <p>Each buffer passed to {@code onNext} is a fresh heap buffer, exactly the chunk's size, that this class never
 * touches again: the subscriber owns it (the relay's framer forwards its array without a copy).
 *
 * <p>Thread-safety: the reactor thread calls the {@link AsyncResponseConsumer} methods; the subscriber calls
 * {@link Subscription#request} and {@link Subscription#cancel} from any thread. All signals to the subscriber are
 * serialized through one drain loop (work-in-progress counter), so they never overlap and none is lost when a
 * request races with the arrival of data or of the end of stream.
 */
public final class UpstreamResponsePublisher implements AsyncResponseConsumer<Void>, Publisher<ByteBuffer> {

    /** Receives the response head; called once, on the reactor thread, before any body signal. */
    public interface HeadListener {
        /**
         * @param upstreamResponse status and headers
         * @param entity           body details, or {@code null} when the response has no body
         */
        void onHead(HttpResponse upstreamResponse, EntityDetails entity);

        /** The exchange failed before the head arrived. */
        void onFailure(Exception cause);
    }

    /** Default hard bound on body bytes held for one exchange. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 8L * 1024 * 1024;

    private final HeadListener headListener;
    private final long maxBufferedBytes;
    private final AtomicLong buffered = new AtomicLong();
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private int freedSinceUpdate;
    private volatile boolean headSeen;
    private volatile boolean completed;
    private volatile boolean cancelled;
    private volatile boolean terminated;
    private volatile Exception failure;
    private volatile CapacityChannel capacityChannel;
    private volatile Subscriber<? super ByteBuffer> subscriber;
    private volatile FutureCallback<Void> resultCallback;

    public UpstreamResponsePublisher(HeadListener headListener) {
        this(headListener, DEFAULT_MAX_BUFFERED_BYTES);
    }

    public UpstreamResponsePublisher(HeadListener headListener, long maxBufferedBytes) {
        this.headListener = headListener;
        this.maxBufferedBytes = maxBufferedBytes;
    }

    @Override
    public void consumeResponse(HttpResponse upstreamResponse, EntityDetails entity, HttpContext context,
                                FutureCallback<Void> resultCallback) throws HttpException, IOException {
        this.resultCallback = resultCallback;
        headSeen = true;
        if (entity == null) {
            completed = true;
        }
        headListener.onHead(upstreamResponse, entity);
        drain();
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx responses (100-continue) are not relayed: the gateway sends the whole body at once.
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        this.capacityChannel = capacityChannel;
        drain();
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (cancelled) {
            throw new IOException("client went away; upstream response abandoned");
        }
        if (buffered.get() + src.remaining() > maxBufferedBytes) {
            failure = new BufferLimitException("The client reads more slowly than the upstream writes; more than "
                    + maxBufferedBytes + " bytes were waiting for it");
            drain();
            throw new IOException("response abandoned: client too slow");
        }
        ByteBuffer copy = ByteBuffer.allocate(src.remaining());
        copy.put(src).flip();
        buffered.addAndGet(copy.remaining());
        synchronized (buffers) {
            buffers.add(copy);
        }
        drain();
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        completed = true;
        drain();
    }

    @Override
    public void failed(Exception cause) {
        if (failure == null) {
            failure = cause; // the first failure is the cause; HttpClient reports the abort it led to afterwards
        }
        if (!headSeen) {
            headSeen = true;
            terminated = true;
            headListener.onFailure(cause);
            return;
        }
        drain();
    }

    @Override
    public void releaseResources() {
        capacityChannel = null;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> s) {
        if (subscriber != null) {
            throw new IllegalStateException("only one subscriber");
        }
        subscriber = s;
        s.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    failure = new IllegalArgumentException("request(n) needs n > 0");
                } else {
                    demand.getAndAccumulate(n, (current, add) -> current + add < 0 ? Long.MAX_VALUE : current + add);
                }
                drain();
            }

            @Override
            public void cancel() {
                cancelled = true;
                drain();
            }
        });
        drain();
    }

    /** Bytes buffered and not yet taken by the subscriber; for tests and metrics. */
    public long bufferedBytes() {
        return buffered.get();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            drainOnce();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainOnce() {
        Subscriber<? super ByteBuffer> s = subscriber;
        if (s == null || terminated) {
            return;
        }
        if (cancelled) {
            terminated = true;
            synchronized (buffers) {
                buffers.clear();
            }
            buffered.set(0);
            return;
        }
        while (demand.get() > 0) {
            ByteBuffer next;
            synchronized (buffers) {
                next = buffers.poll();
            }
            if (next == null) {
                break;
            }
            demand.decrementAndGet();
            freedSinceUpdate += next.remaining();
            buffered.addAndGet(-next.remaining());
            s.onNext(next);
            if (cancelled) {
                return;
            }
        }
        reopenWindow();
        boolean empty;
        synchronized (buffers) {
            empty = buffers.isEmpty();
        }
        if (!empty) {
            return; // data that arrived before an end or a failure is delivered first
        }
        Exception error = failure;
        if (error != null) {
            terminated = true;
            s.onError(error);
            return;
        }
        if (completed) {
            terminated = true;
            FutureCallback<Void> callback = resultCallback;
            if (callback != null) {
                callback.completed(null);
            }
            s.onComplete();
        }
    }

    private void reopenWindow() {
        CapacityChannel channel = capacityChannel;
        if (channel != null && freedSinceUpdate > 0) {
            int increment = freedSinceUpdate;
            freedSinceUpdate = 0;
            try {
                channel.update(increment);
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    /** The hard bound on buffered body bytes was reached. */
    public static final class BufferLimitException extends IOException {
        public BufferLimitException(String message) {
            super(message);
        }
    }
}
