package io.bedrockgateway.keys;

/**
 * A sliding one-minute sum in one-second buckets (requests or tokens per minute). Thread-safe: callers hold the
 * owning key state's monitor.
 */
final class RateWindow {
    private static final int SECONDS = 60;
    private final long[] counts = new long[SECONDS];
    private final long[] epochSeconds = new long[SECONDS];

    void add(long epochSecond, long amount) {
        int slot = (int) (epochSecond % SECONDS);
        if (epochSeconds[slot] != epochSecond) {
            epochSeconds[slot] = epochSecond;
            counts[slot] = 0;
        }
        counts[slot] += amount;
    }

    /** The sum over the 60 seconds ending at {@code epochSecond}. */
    long sum(long epochSecond) {
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (epochSecond - epochSeconds[i] < SECONDS && epochSeconds[i] <= epochSecond) {
                total += counts[i];
            }
        }
        return total;
    }
}
