package io.bedrockgateway.routing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live numbers of one deployment, kept by this gateway instance: calls in flight, recent latency and time to first
 * byte (exponential moving averages), requests and tokens in the current minute, and its cooldown. The routing
 * strategies read them on every call and {@code GET /health} reports them.
 *
 * <p>Cooldown: more than {@code allowed_fails} failures (429, 5xx, connect failures, timeouts) within one minute
 * take the deployment out of rotation for {@code cooldown_time}; an upstream {@code Retry-After} takes it out for
 * at least that long. Then it is tried again.
 *
 * <p>Thread-safe. The per-call path is lock-free; recording a failure takes this object's monitor.
 */
public final class DeploymentStats {
    /** {@link #state} of a deployment that can take calls. */
    public static final String HEALTHY = "healthy";
    /** {@link #state} of a deployment skipped until its cooldown ends. */
    public static final String COOLING_DOWN = "cooling_down";

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
    private final AtomicLong cooldownsEntered = new AtomicLong();
    private volatile long coolingUntilMillis;
    private volatile String cooldownReason;
    private long failureMinute;
    private int failuresThisMinute;

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

    /**
     * Counts a failure towards the cooldown.
     *
     * @param retryAfterMillis the upstream's {@code Retry-After}, or 0
     * @return whether this failure started (or extended) a cooldown
     */
    public synchronized boolean failed(long nowMillis, RouterSettings settings, long retryAfterMillis, String why) {
        if (!settings.cooldowns()) {
            return false;
        }
        long minuteNow = nowMillis / 60_000;
        if (minuteNow != failureMinute) {
            failureMinute = minuteNow;
            failuresThisMinute = 0;
        }
        failuresThisMinute++;
        long until = 0;
        String reason = null;
        if (failuresThisMinute > settings.allowedFails()) {
            until = nowMillis + settings.cooldownTime().toMillis();
            reason = failuresThisMinute + " failures this minute (allowed_fails " + settings.allowedFails()
                    + "), last: " + why;
        }
        long retryAfter = Math.min(retryAfterMillis, RouterSettings.MAX_RETRY_AFTER.toMillis());
        if (retryAfter > 0 && nowMillis + retryAfter > until) {
            until = nowMillis + retryAfter;
            reason = "upstream asked to retry after " + (retryAfter + 999) / 1000 + "s (" + why + ")";
        }
        if (until <= coolingUntilMillis || until == 0) {
            return false;
        }
        if (coolingUntilMillis <= nowMillis) {
            cooldownsEntered.incrementAndGet();
        }
        failuresThisMinute = 0; // a deployment back from cooldown gets its allowed_fails again
        cooldownReason = reason;
        coolingUntilMillis = until;
        return true;
    }

    /** Whether the deployment is skipped at {@code nowMillis}. */
    public boolean coolingDown(long nowMillis) {
        return nowMillis < coolingUntilMillis;
    }

    /** {@link #COOLING_DOWN} or {@link #HEALTHY}, as {@code GET /health} and JMX report it. */
    public String state(long nowMillis) {
        return coolingDown(nowMillis) ? COOLING_DOWN : HEALTHY;
    }

    /** When the current (or last) cooldown ends, epoch millis; 0 when it never cooled down. */
    public long coolingUntilMillis() {
        return coolingUntilMillis;
    }

    /** Why the deployment last cooled down, or {@code null}. */
    public String cooldownReason() {
        return cooldownReason;
    }

    /** How many times the deployment entered a cooldown. */
    public long cooldownsEntered() {
        return cooldownsEntered.get();
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
