package io.bedrockgateway.routing;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the gateway recovers from a failing deployment ({@code router_settings}, LiteLLM's names). Immutable and
 * thread-safe; a config reload brings a new instance with its route table.
 *
 * @param numRetries    {@code num_retries}: further attempts per alias after the first, each on another
 *                      deployment, made only while no response byte has gone to the client
 * @param retryAfter    {@code retry_after}: the least wait before a retry (on top of the backoff)
 * @param allowedFails  {@code allowed_fails}: failures per minute a deployment may have before it cools down
 * @param cooldownTime  {@code cooldown_time}: how long a cooling deployment is skipped
 * @param cooldowns     whether deployments cool down at all ({@code disable_cooldowns: true} turns it off)
 * @param fallbacks     {@code fallbacks}: alias to the aliases tried, in order, once its own deployments are
 *                      exhausted
 * @param stickyBy      {@code sticky_by}: {@code key} (the caller's gateway key), {@code header:<name>}, or
 *                      {@code null}; calls with the same value stay on the same deployment while it is healthy
 */
public record RouterSettings(int numRetries, Duration retryAfter, int allowedFails, Duration cooldownTime,
                             boolean cooldowns, Map<String, List<String>> fallbacks, String stickyBy) {
    public static final RouterSettings DEFAULTS =
            new RouterSettings(2, Duration.ZERO, 3, Duration.ofSeconds(5), true, Map.of(), null);
    /** First backoff step; doubles per retry, with full jitter, up to {@link #MAX_BACKOFF}. */
    public static final Duration BASE_BACKOFF = Duration.ofMillis(20);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    /** A {@code Retry-After} beyond this is capped: one odd header must not take a deployment out for hours. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    public static final String STICKY_KEY = "key";
    public static final String STICKY_HEADER_PREFIX = "header:";

    public RouterSettings {
        if (numRetries < 0 || allowedFails < 0) {
            throw new IllegalArgumentException("numRetries and allowedFails must not be negative");
        }
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(cooldownTime, "cooldownTime");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        (fallbacks == null ? Map.<String, List<String>>of() : fallbacks)
                .forEach((alias, targets) -> copy.put(alias, List.copyOf(targets)));
        fallbacks = Collections.unmodifiableMap(copy);
    }

    /** The aliases to try after {@code alias}, in order; empty when none are configured. */
    public List<String> fallbacksOf(String alias) {
        return fallbacks.getOrDefault(alias, List.of());
    }

    /** The request header whose value makes calls sticky, or {@code null}. */
    public String stickyHeader() {
        return stickyBy != null && stickyBy.startsWith(STICKY_HEADER_PREFIX)
                ? stickyBy.substring(STICKY_HEADER_PREFIX.length()) : null;
    }

    /** Wait before retry number {@code retry} (1 for the first): exponential backoff with full jitter. */
    public long backoffMillis(int retry, double random) {
        long ceiling = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(retry - 1, 16));
        return Math.max(retryAfter.toMillis(), Math.round(ceiling * random));
    }
}
