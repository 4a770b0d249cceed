package io.bedrockgateway.routing;

import io.bedrockgateway.upstream.UpstreamAuth;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrategiesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:30Z"), ZoneOffset.UTC);

    private static Deployment deployment(String id, int rpm, int tpm) {
        return new Deployment(id, "alias", "anthropic.claude-v2", "us-west-2",
                URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"),
                URI.create("https://bedrock-agent-runtime.us-west-2.amazonaws.com"), new UpstreamAuth.Bearer("t"),
                1, rpm, tpm, Deployment.Timeouts.DEFAULTS);
    }

    private final Deployment a = deployment("a", 0, 0);
    private final Deployment b = deployment("b", 0, 0);
    private final Deployment c = deployment("c", 0, 0);

    @Test
    void leastBusyPicksTheFewestInFlightAndSpreadsTies() {
        DeploymentHealth health = new DeploymentHealth();
        LeastBusyStrategy strategy = new LeastBusyStrategy(health);
        health.of(a).started(0);
        health.of(a).started(0);
        health.of(b).started(0);
        assertEquals(c, strategy.select(List.of(a, b, c)));
        health.of(c).started(0);
        health.of(c).started(0);
        assertEquals(b, strategy.select(List.of(a, b, c)));
        Map<String, Integer> picks = new HashMap<>();
        DeploymentHealth idle = new DeploymentHealth();
        for (int i = 0; i < 3000; i++) {
            picks.merge(new LeastBusyStrategy(idle).select(List.of(a, b, c)).id(), 1, Integer::sum);
        }
        picks.values().forEach(n -> assertTrue(n > 800, "ties spread: " + picks));
    }

    @Test
    void latencyBasedPrefersTheFastestAndUsesTtfbForStreams() {
        DeploymentHealth health = new DeploymentHealth();
        LatencyBasedStrategy strategy = new LatencyBasedStrategy(health);
        health.of(a).started(0);
        health.of(a).ended(0, 900_000_000L, 50_000_000L, 0, null);   // slow overall, quick first byte
        health.of(b).started(0);
        health.of(b).ended(0, 100_000_000L, 90_000_000L, 0, null);   // quick overall, slow first byte
        assertEquals(b, strategy.select(List.of(a, b)));
        assertEquals(a, strategy.select(List.of(a, b), true));
        assertEquals(c, strategy.select(List.of(a, b, c)), "an unmeasured deployment gets tried");
    }

    @Test
    void usageBasedPicksTheMostHeadroom() {
        DeploymentHealth health = new DeploymentHealth();
        Deployment small = deployment("small", 10, 0);
        Deployment large = deployment("large", 1000, 0);
        UsageBasedStrategy strategy = new UsageBasedStrategy(health, CLOCK);
        for (int i = 0; i < 5; i++) {
            health.of(large).started(CLOCK.millis());
        }
        health.of(small).started(CLOCK.millis());
        assertEquals(large, strategy.select(List.of(small, large)), "5/1000 used beats 1/10");
        Deployment tokens = deployment("tokens", 0, 1000);
        health.of(tokens).started(CLOCK.millis());
        health.of(tokens).ended(CLOCK.millis(), 1, -1, 900, null);
        assertEquals(large, strategy.select(List.of(tokens, large)), "900 of 1000 tokens is nearly full");
    }

    @Test
    void strategiesByLiteLlmName() {
        DeploymentHealth health = new DeploymentHealth();
        assertInstanceOf(SimpleShuffleStrategy.class, RoutingStrategy.named(null, health, CLOCK));
        assertInstanceOf(LeastBusyStrategy.class, RoutingStrategy.named("least-busy", health, CLOCK));
        assertInstanceOf(LatencyBasedStrategy.class, RoutingStrategy.named("latency-based-routing", health, CLOCK));
        assertInstanceOf(UsageBasedStrategy.class, RoutingStrategy.named("usage-based-routing", health, CLOCK));
        assertThrows(IllegalArgumentException.class, () -> RoutingStrategy.named("fastest", health, CLOCK));
    }

    @Test
    void failedCallsDoNotCountAsFastOnes() {
        DeploymentHealth health = new DeploymentHealth();
        health.of(a).started(0);
        health.of(a).ended(0, 1_000_000L, -1, 0, "HTTP 429");
        assertEquals(-1, health.of(a).latencyMicros());
        assertEquals(1, health.of(a).failed());
        assertEquals("HTTP 429", health.of(a).lastError());
        assertEquals(0, health.of(a).inFlight());
    }
}
