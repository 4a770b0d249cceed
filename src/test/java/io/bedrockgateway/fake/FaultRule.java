package io.bedrockgateway.fake;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registered fault: a matcher, the fault, and how many more times it may fire. Returned by
 * {@link FakeBedrock#addFault(RequestMatcher, Fault, int)}. Thread-safe: matching and counting are atomic.
 */
public final class FaultRule {
    /** Pass as {@code times} to fire on every matching request. */
    public static final int ALWAYS = -1;

    private final RequestMatcher matcher;
    private final Fault fault;
    private final AtomicInteger remaining;
    private final AtomicInteger hits = new AtomicInteger();
    private final Runnable remover;
    private volatile RecordedRequest lastMatched;

    FaultRule(RequestMatcher matcher, Fault fault, int times, Runnable remover) {
        if (times == 0 || times < ALWAYS) {
            throw new IllegalArgumentException("times must be positive or ALWAYS");
        }
        this.matcher = matcher;
        this.fault = fault;
        this.remaining = new AtomicInteger(times);
        this.remover = remover;
    }

    /** How many requests this rule has fired on. */
    public int hits() {
        return hits.get();
    }

    /** How many more times it may fire, or {@link #ALWAYS}. */
    public int remaining() {
        return remaining.get();
    }

    /** The last request it fired on (its live byte counter shows back-pressure), or {@code null}. */
    public RecordedRequest lastMatched() {
        return lastMatched;
    }

    /** The fault this rule injects. */
    public Fault fault() {
        return fault;
    }

    /** Unregisters the rule. */
    public void remove() {
        remover.run();
    }

    /** Claims one firing if the request matches and the rule is not used up. */
    boolean tryFire(RecordedRequest request) {
        if (!matcher.matches(request)) {
            return false;
        }
        int left;
        do {
            left = remaining.get();
            if (left == 0) {
                return false;
            }
        } while (left != ALWAYS && !remaining.compareAndSet(left, left - 1));
        hits.incrementAndGet();
        lastMatched = request;
        return true;
    }

    @Override
    public String toString() {
        return "FaultRule[" + fault + ", hits=" + hits + ", remaining=" + remaining + "]";
    }
}
