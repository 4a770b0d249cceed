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
 * class reopens the window only by the bytes the subscriber has taken. So at most one window of body bytes
 * (plus the I/O session's read buffer) is held per stream, however slow the client.
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

    private final HeadListener headListener;
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
        this.headListener = headListener;
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
        ByteBuffer copy = ByteBuffer.allocate(src.remaining());
        copy.put(src).flip();
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
        failure = cause;
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
    public int bufferedBytes() {
        synchronized (buffers) {
            int total = 0;
            for (ByteBuffer buffer : buffers) {
                total += buffer.remaining();
            }
            return total;
        }
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
}
