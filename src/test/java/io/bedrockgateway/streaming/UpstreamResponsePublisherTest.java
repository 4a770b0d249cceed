package io.bedrockgateway.streaming;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpstreamResponsePublisherTest {

    private static final UpstreamResponsePublisher.HeadListener IGNORE_HEAD = new UpstreamResponsePublisher.HeadListener() {
        @Override
        public void onHead(HttpResponse upstreamResponse, EntityDetails entity) {
        }

        @Override
        public void onFailure(Exception cause) {
        }
    };

    /**
     * The reactor thread delivers data and the end of stream while the subscriber requests from another thread:
     * every byte arrives in order and completion is never lost (the race a naive "flush in progress" flag loses).
     */
    @Test
    void neverLosesDataOrCompletionWhenRequestsRaceDelivery() throws Exception {
        ExecutorService requester = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-requester"));
        try {
            for (int run = 0; run < 300; run++) {
                UpstreamResponsePublisher publisher = new UpstreamResponsePublisher(IGNORE_HEAD);
                publisher.consumeResponse(new BasicHttpResponse(200),
                        new BasicAsyncEntityProducer(new byte[0], null), null, null);
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                CountDownLatch done = new CountDownLatch(1);
                AtomicReference<Throwable> error = new AtomicReference<>();
                publisher.subscribe(new Subscriber<>() {
                    Subscription subscription;

                    @Override
                    public void onSubscribe(Subscription s) {
                        subscription = s;
                        requester.execute(() -> s.request(1));
                    }

                    @Override
                    public void onNext(ByteBuffer chunk) {
                        synchronized (received) {
                            received.write(chunk.array(), chunk.position(), chunk.remaining());
                        }
                        requester.execute(() -> subscription.request(1));
                    }

                    @Override
                    public void onError(Throwable t) {
                        error.set(t);
                        done.countDown();
                    }

                    @Override
                    public void onComplete() {
                        done.countDown();
                    }
                });
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                for (int i = 0; i < 20; i++) {
                    byte[] chunk = ("chunk-" + run + "-" + i + ";").getBytes();
                    sent.writeBytes(chunk);
                    publisher.consume(ByteBuffer.wrap(chunk));
                }
                publisher.streamEnd(null);
                assertTrue(done.await(5, TimeUnit.SECONDS), "completion lost in run " + run);
                assertNull(error.get());
                synchronized (received) {
                    assertArrayEquals(sent.toByteArray(), received.toByteArray(), "run " + run);
                }
            }
        } finally {
            requester.shutdownNow();
        }
    }

    /** The capacity window reopens only by what the subscriber has taken. */
    @Test
    void reopensTheWindowOnlyForConsumedBytes() throws Exception {
        UpstreamResponsePublisher publisher = new UpstreamResponsePublisher(IGNORE_HEAD);
        AtomicLong granted = new AtomicLong();
        CapacityChannel channel = increment -> granted.addAndGet(increment);
        publisher.consumeResponse(new BasicHttpResponse(200), new BasicAsyncEntityProducer(new byte[0], null),
                null, null);
        publisher.updateCapacity(channel);
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        publisher.subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                subscription.set(s);
            }

            @Override
            public void onNext(ByteBuffer byteBuffer) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        });
        publisher.consume(ByteBuffer.wrap(new byte[1000]));
        publisher.consume(ByteBuffer.wrap(new byte[500]));
        assertEquals(0, granted.get());
        assertEquals(1500, publisher.bufferedBytes());
        subscription.get().request(1);
        assertEquals(1000, granted.get());
        assertEquals(500, publisher.bufferedBytes());
        subscription.get().request(5);
        assertEquals(1500, granted.get());
        assertEquals(0, publisher.bufferedBytes());
    }

    /** A failure after data arrived is signalled only once that data has been taken. */
    @Test
    void deliversBufferedDataBeforeTheFailure() throws Exception {
        UpstreamResponsePublisher publisher = new UpstreamResponsePublisher(IGNORE_HEAD);
        publisher.consumeResponse(new BasicHttpResponse(200), new BasicAsyncEntityProducer(new byte[0], null),
                null, null);
        java.util.List<String> signals = new java.util.ArrayList<>();
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        publisher.subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                subscription.set(s);
            }

            @Override
            public void onNext(ByteBuffer chunk) {
                signals.add("next:" + chunk.remaining());
            }

            @Override
            public void onError(Throwable t) {
                signals.add("error");
            }

            @Override
            public void onComplete() {
                signals.add("complete");
            }
        });
        publisher.consume(ByteBuffer.wrap(new byte[10]));
        publisher.consume(ByteBuffer.wrap(new byte[20]));
        publisher.failed(new java.io.IOException("connection reset"));
        assertEquals(java.util.List.of(), signals);
        subscription.get().request(1);
        assertEquals(java.util.List.of("next:10"), signals);
        subscription.get().request(1);
        assertEquals(java.util.List.of("next:10", "next:20", "error"), signals);
    }

    /** An upstream that outruns a stalled subscriber is cut off at the hard bound; what was taken stays valid. */
    @Test
    void abortsAtTheBufferLimit() throws Exception {
        UpstreamResponsePublisher publisher = new UpstreamResponsePublisher(IGNORE_HEAD, 1000);
        publisher.consumeResponse(new BasicHttpResponse(200), new BasicAsyncEntityProducer(new byte[0], null),
                null, null);
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        publisher.subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                subscription.set(s);
            }

            @Override
            public void onNext(ByteBuffer chunk) {
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
            }

            @Override
            public void onComplete() {
            }
        });
        publisher.consume(ByteBuffer.wrap(new byte[600]));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> publisher.consume(ByteBuffer.wrap(new byte[600])));
        assertEquals(600, publisher.bufferedBytes());
        subscription.get().request(10);
        assertTrue(error.get() instanceof UpstreamResponsePublisher.BufferLimitException, String.valueOf(error.get()));
    }
}
