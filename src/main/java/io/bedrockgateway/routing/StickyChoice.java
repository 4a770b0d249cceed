package io.bedrockgateway.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code sticky_by}: rendezvous (highest random weight) hashing of a sticky value over the candidates, weighted like
 * {@code simple-shuffle}. The same value picks the same deployment as long as that deployment is a candidate; when
 * it cools down or is removed, only the values that sat on it move. Stateless and thread-safe.
 */
final class StickyChoice {
    private StickyChoice() {
    }

    static Deployment pick(String stickyValue, List<Deployment> candidates) {
        long valueHash = fnv(stickyValue);
        Deployment best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Deployment deployment : candidates) {
            long hash = mix(valueHash ^ fnv(deployment.id()));
            double unit = ((hash >>> 11) + 0.5) / (double) (1L << 53); // (0, 1)
            double score = Math.max(1, deployment.weight()) / -Math.log(unit); // weighted rendezvous
            if (score > bestScore) {
                bestScore = score;
                best = deployment;
            }
        }
        return best;
    }

    private static long fnv(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static long mix(long z) { // splitmix64 finalizer
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
