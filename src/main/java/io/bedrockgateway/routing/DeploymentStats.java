package io.bedrockgateway.routing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live numbers of one deployment, kept by this gateway instance: calls in flight, recent latency and time to first
 * byte (exponential moving averages), and requests and tokens in the current minute. The routing strategies read
 * them on every call and {@code GET /health} reports them. Thread-safe and lock-free.
 */
public final class DeploymentStats {
    private static final double WEIGHT_NEW = 0.2;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong latencyMicros = new AtomicLong(-1);
    private final AtomicLong ttfbMicros = new AtomicLong(-1);
    private final AtomicLong minute = new AtomicLong();
    private final AtomicLong requestsThisMinute = new AtomicLong();
    private final AtomicLong tokensThisMinute = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    /** A call to this deployment starts. */
    public void started(long nowMillis) {
        inFlight.incrementAndGet();
        rollMinute(nowMillis);
        requestsThisMinute.incrementAndGet();
    }

    /**
     * A call ended.
     *
     * @param latencyNanos start to end
     * @param ttfbNanos    start to the first response byte, or -1
     * @param tokens       tokens the call used
     * @param error        why it failed (an upstream 429/5xx or a connection fault), or {@code null}
     */
    public void ended(long nowMillis, long latencyNanos, long ttfbNanos, long tokens, String error) {
        inFlight.decrementAndGet();
        rollMinute(nowMillis);
        tokensThisMinute.addAndGet(tokens);
        completed.incrementAndGet();
        if (error != null) {
            failed.incrementAndGet();
            lastError.set(error);
        } else {
            average(latencyMicros, latencyNanos / 1_000);
            if (ttfbNanos >= 0) {
                average(ttfbMicros, ttfbNanos / 1_000);
            }
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Recent latency in microseconds, or -1 before the first successful call. */
    public long latencyMicros() {
        return latencyMicros.get();
    }

    /** Recent time to first byte in microseconds, or -1 before the first successful call. */
    public long ttfbMicros() {
        return ttfbMicros.get();
    }

    public long requestsThisMinute(long nowMillis) {
        rollMinute(nowMillis);
        return requestsThisMinute.get();
    }

    public long tokensThisMinute(long nowMillis) {
        rollMinute(nowMillis);
        return tokensThisMinute.get();
    }

    public long completed() {
        return completed.get();
    }

    public long failed() {
        return failed.get();
    }

    public String lastError() {
        return lastError.get();
    }

    private void rollMinute(long nowMillis) {
        long current = nowMillis / 60_000;
        long seen = minute.get();
        if (seen != current && minute.compareAndSet(seen, current)) {
            requestsThisMinute.set(0);
            tokensThisMinute.set(0);
        }
    }

    private static void average(AtomicLong average, long sample) {
        average.getAndUpdate(old -> old < 0 ? sample : Math.round(old * (1 - WEIGHT_NEW) + sample * WEIGHT_NEW));
    }
}
