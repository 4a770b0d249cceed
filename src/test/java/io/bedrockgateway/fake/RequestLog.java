package io.bedrockgateway.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests a fake has received, in arrival order. Thread-safe: guarded by its own monitor, which also wakes
 * threads waiting for a request count.
 */
final class RequestLog {
    private final List<RecordedRequest> requests = new ArrayList<>();
    private long sequence;

    synchronized long nextSequence() {
        return ++sequence;
    }

    synchronized void add(RecordedRequest request) {
        requests.add(request);
        notifyAll();
    }

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(requests);
    }

    synchronized void clear() {
        requests.clear();
    }

    /** Waits until at least {@code count} matching requests are logged; returns them (maybe fewer on timeout). */
    synchronized List<RecordedRequest> await(RequestMatcher matcher, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<RecordedRequest> matching = requests.stream().filter(matcher::matches).toList();
            long left = deadline - System.nanoTime();
            if (matching.size() >= count || left <= 0) {
                return matching;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
