package io.bedrockgateway.routing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

/**
 * LiteLLM's {@code simple-shuffle}: a weighted random pick. The weights are {@link Deployment#weight()} when any
 * deployment of the group sets {@code weight}; otherwise {@code rpm}, then {@code tpm}, when any deployment sets
 * them (a deployment without one then gets no traffic, as in LiteLLM); otherwise every deployment is equally likely.
 *
 * <p>Stateless and thread-safe; uses {@link ThreadLocalRandom}, allocates nothing.
 */
public final class SimpleShuffleStrategy implements RoutingStrategy {

    @Override
    public Deployment select(List<Deployment> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidates");
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        ToIntFunction<Deployment> weight = weightOf(candidates);
        long total = 0;
        for (Deployment deployment : candidates) {
            total += Math.max(0, weight.applyAsInt(deployment));
        }
        if (total <= 0) {
            return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        }
        long ticket = ThreadLocalRandom.current().nextLong(total);
        for (Deployment deployment : candidates) {
            ticket -= Math.max(0, weight.applyAsInt(deployment));
            if (ticket < 0) {
                return deployment;
            }
        }
        return candidates.get(candidates.size() - 1); // unreachable: the tickets sum to total
    }

    private static ToIntFunction<Deployment> weightOf(List<Deployment> candidates) {
        boolean anyWeight = false;
        boolean anyRpm = false;
        boolean anyTpm = false;
        for (Deployment deployment : candidates) {
            anyWeight |= deployment.weightConfigured();
            anyRpm |= deployment.rpm() > 0;
            anyTpm |= deployment.tpm() > 0;
        }
        if (anyWeight) {
            return Deployment::weight;
        }
        if (anyRpm) {
            return Deployment::rpm;
        }
        return anyTpm ? Deployment::tpm : deployment -> 1;
    }
}
