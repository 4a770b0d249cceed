package io.bedrockgateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One value per deployment id, created on first use. Deployments from {@code model_list} are always kept.
 * Deployments without an alias (pass-through model ids, the default deployment) have client-controlled ids, so at
 * most {@value #MAX_UNALIASED} of them are kept, as many as the pass-through deployments themselves; past that, each
 * use of a new one gets a fresh value that nobody keeps.
 *
 * <p>Thread-safe.
 */
public final class PerDeployment<V> {
    public static final int MAX_UNALIASED = 1024;

    private final Map<String, V> values = new ConcurrentHashMap<>();
    private final AtomicInteger unaliased = new AtomicInteger();
    private final Function<Deployment, V> factory;

    public PerDeployment(Function<Deployment, V> factory) {
        this.factory = factory;
    }

    public V get(Deployment deployment) {
        V known = values.get(deployment.id());
        if (known != null) {
            return known;
        }
        if (deployment.alias() != null) {
            return values.computeIfAbsent(deployment.id(), id -> factory.apply(deployment));
        }
        if (unaliased.get() >= MAX_UNALIASED) {
            return factory.apply(deployment);
        }
        return values.computeIfAbsent(deployment.id(), id -> {
            unaliased.incrementAndGet();
            return factory.apply(deployment);
        });
    }
}
