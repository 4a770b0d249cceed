package io.bedrockgateway.routing;

import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteSelectionTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final DeploymentHealth health = new DeploymentHealth();
    private final Deployment a1 = TestDeployment.of("a/0", "a");
    private final Deployment a2 = TestDeployment.of("a/1", "a");
    private final Deployment a3 = TestDeployment.of("a/2", "a");
    private final Deployment b1 = TestDeployment.of("b/0", "b");
    private final Deployment fallbackDefault = TestDeployment.of("default", null);


    private RouteTable table(int numRetries) {
        Map<String, List<Deployment>> byAlias = new LinkedHashMap<>();
        byAlias.put("a", List.of(a1, a2, a3));
        byAlias.put("b", List.of(b1));
        RouterSettings settings = new RouterSettings(numRetries, Duration.ZERO, 0, Duration.ofSeconds(10), true,
                Map.of("a", List.of("b")), null);
        return new RouteTable(byAlias, fallbackDefault, true, id -> TestDeployment.of("passthrough/" + id, null), settings);
    }

    private RouteSelection selection(RouteTable table, String model, String sticky, Predicate<Deployment> guard) {
        BedrockOperation operation = OperationParser.parse("POST", "/model/" + model + "/converse");
        return new RouteSelection(table, new SimpleShuffleStrategy(), health, now::get, operation, null, sticky,
                guard);
    }

    @Test
    void retriesGoToUntriedDeploymentsThenToTheFallbackAlias() {
        RouteSelection selection = selection(table(2), "a", null, d -> true);
        Set<String> seen = new HashSet<>();
        seen.add(selection.first().deployment().id());
        seen.add(selection.next().deployment().id());
        seen.add(selection.next().deployment().id());
        assertEquals(Set.of("a/0", "a/1", "a/2"), seen, "never the same deployment twice");
        RouteDecision fallback = selection.next();
        assertEquals(b1, fallback.deployment(), "then the fallback alias");
        assertEquals("/model/anthropic.claude-v2/converse", fallback.upstreamPath());
        assertNull(selection.next(), "everything tried");
        assertEquals(4, selection.attempts());
    }

    @Test
    void numRetriesCapsTheAttemptsPerAlias() {
        RouteSelection selection = selection(table(1), "a", null, d -> true);
        selection.first();
        assertEquals("a", selection.next().deployment().alias());
        assertEquals(b1, selection.next().deployment(), "num_retries 1: two attempts on 'a', then the fallback");
        assertNull(selection.next());
    }

    @Test
    void coolingDeploymentsAreSkippedAndAllCoolingIs503() {
        RouteTable table = table(2);
        RouterSettings settings = table.settings();
        health.of(a1).failed(now.get(), settings, 0, "HTTP 503");
        health.of(a2).failed(now.get(), settings, 0, "HTTP 503");
        for (int i = 0; i < 20; i++) {
            assertEquals(a3, selection(table, "a", null, d -> true).first().deployment());
        }
        health.of(a3).failed(now.get(), settings, 3_000, "HTTP 429");
        assertEquals(b1, selection(table, "a", null, d -> true).first().deployment(),
                "every 'a' deployment cooling: straight to the fallback");
        GatewayException refused = assertThrows(GatewayException.class,
                () -> selection(table, "a", null, d -> false).first());
        assertEquals(GatewayError.SERVICE_UNAVAILABLE, refused.error());
        assertEquals("All 3 deployments of 'a' are cooling down after repeated upstream failures;"
                + " the first is tried again in 10s", refused.getMessage(), "the fallback the key may not use is no hope");
        assertEquals(10, refused.retryAfterSeconds());
        health.of(b1).failed(now.get(), settings, 0, "HTTP 500");
        assertEquals("All 4 deployments of 'a' and its fallbacks are cooling down after repeated upstream failures;"
                + " the first is tried again in 10s", assertThrows(GatewayException.class,
                () -> selection(table, "a", null, d -> true).first()).getMessage());
        now.addAndGet(10_001);
        assertNotEquals(b1, selection(table, "a", null, d -> true).first().deployment(), "cooldown over");
    }

    @Test
    void aFallbackTheGuardRefusesIsNeverOffered() {
        RouteSelection selection = selection(table(2), "a", null, d -> !"b".equals(d.alias()));
        selection.first();
        selection.next();
        selection.next();
        assertNull(selection.next(), "the key may not use 'b'");
    }

    @Test
    void rawIdsAndModelLessCallsHaveOneDeploymentAndNoRetry() {
        RouteSelection raw = selection(table(2), "anthropic.claude-v2", null, d -> true);
        assertEquals("passthrough/anthropic.claude-v2", raw.first().deployment().id());
        assertNull(raw.next());

        BedrockOperation agents = OperationParser.parse("POST", "/agents/AG1/agentAliases/AL1/sessions/s1/text");
        RouteSelection agent = new RouteSelection(table(2), new SimpleShuffleStrategy(), health, now::get, agents,
                null, null, d -> true);
        assertEquals(fallbackDefault, agent.first().deployment());
        assertNull(agent.next());
        assertFalse(agent.deploymentsMayCoolDown(), "the only deployment of a route never cools down");
        assertFalse(raw.deploymentsMayCoolDown());
        assertTrue(selection(table(2), "b", null, d -> true).deploymentsMayCoolDown() == false);
        assertTrue(selection(table(2), "a", null, d -> true).deploymentsMayCoolDown());
    }

    @Test
    void unknownModelsAre404() {
        RouteTable table = new RouteTable(Map.of("a", List.of(a1)), fallbackDefault, false, id -> a1);
        GatewayException missing = assertThrows(GatewayException.class,
                () -> selection(table, "nope", null, d -> true).first());
        assertEquals(GatewayError.RESOURCE_NOT_FOUND, missing.error());
    }

    @Test
    void stickyValuesKeepTheirDeploymentAndMoveOnlyWhenItCools() {
        RouteTable table = table(2);
        Map<String, String> placed = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            String value = "conversation-" + i;
            String first = selection(table, "a", value, d -> true).first().deployment().id();
            for (int repeat = 0; repeat < 3; repeat++) {
                assertEquals(first, selection(table, "a", value, d -> true).first().deployment().id());
            }
            placed.put(value, first);
        }
        Map<String, Long> load = new LinkedHashMap<>();
        placed.values().forEach(id -> load.merge(id, 1L, Long::sum));
        load.values().forEach(n -> assertTrue(n > 60, "spread over all three: " + load));

        health.of(a1).failed(now.get(), table.settings(), 0, "HTTP 503");
        placed.forEach((value, id) -> {
            String after = selection(table, "a", value, d -> true).first().deployment().id();
            if (!id.equals("a/0")) {
                assertEquals(id, after, "values on healthy deployments stay put");
            } else {
                assertNotEquals("a/0", after);
            }
        });
    }
}
