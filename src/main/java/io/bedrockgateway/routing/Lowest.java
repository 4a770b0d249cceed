package io.bedrockgateway.routing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;

/** Picks the candidate with the lowest score, at random among equals. Stateless. */
final class Lowest {
    private Lowest() {
    }

    static Deployment pick(List<Deployment> candidates, ToLongFunction<Deployment> score) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidates");
        }
        Deployment best = null;
        long bestScore = Long.MAX_VALUE;
        int ties = 0;
        for (Deployment candidate : candidates) {
            long value = score.applyAsLong(candidate);
            if (value < bestScore) {
                best = candidate;
                bestScore = value;
                ties = 1;
            } else if (value == bestScore && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                best = candidate; // reservoir sampling: each tied candidate equally likely
            }
        }
        return best;
    }
}
