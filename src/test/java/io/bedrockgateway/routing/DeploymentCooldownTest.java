package io.bedrockgateway.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeploymentCooldownTest {
    private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 60_000; // start of a minute
    private static final RouterSettings SETTINGS =
            new RouterSettings(2, Duration.ZERO, 2, Duration.ofSeconds(5), true, Map.of(), null);

    @Test
    void moreThanAllowedFailsInAMinuteCoolsForCooldownTime() {
        DeploymentStats stats = new DeploymentStats();
        assertFalse(stats.failed(T0, SETTINGS, 0, "HTTP 503"));
        assertFalse(stats.failed(T0 + 1, SETTINGS, 0, "HTTP 503"));
        assertTrue(stats.failed(T0 + 2, SETTINGS, 0, "HTTP 429"), "third failure, allowed_fails 2");
        assertTrue(stats.coolingDown(T0 + 5_001));
        assertFalse(stats.coolingDown(T0 + 5_002), "tried again after cooldown_time");
        assertEquals(1, stats.cooldownsEntered());
        assertTrue(stats.cooldownReason().contains("3 failures this minute (allowed_fails 2), last: HTTP 429"),
                stats.cooldownReason());
        assertFalse(stats.failed(T0 + 6_000, SETTINGS, 0, "HTTP 503"), "back with its allowed_fails");
    }

    @Test
    void failuresCountPerMinute() {
        DeploymentStats stats = new DeploymentStats();
        stats.failed(T0 + 59_000, SETTINGS, 0, "x");
        stats.failed(T0 + 59_500, SETTINGS, 0, "x");
        assertFalse(stats.failed(T0 + 60_000, SETTINGS, 0, "x"), "a new minute starts from zero");
        assertFalse(stats.coolingDown(T0 + 60_001));
    }

    @Test
    void retryAfterCoolsAtOnceForThatLongButNotForHours() {
        DeploymentStats stats = new DeploymentStats();
        assertTrue(stats.failed(T0, SETTINGS, 8_000, "HTTP 429"));
        assertTrue(stats.coolingDown(T0 + 7_999));
        assertFalse(stats.coolingDown(T0 + 8_000));
        assertTrue(stats.cooldownReason().startsWith("upstream asked to retry after 8s"), stats.cooldownReason());
        DeploymentStats rogue = new DeploymentStats();
        rogue.failed(T0, SETTINGS, Duration.ofHours(5).toMillis(), "HTTP 429");
        assertEquals(T0 + RouterSettings.MAX_RETRY_AFTER.toMillis(), rogue.coolingUntilMillis());
    }

    @Test
    void disabledCooldownsNeverCool() {
        RouterSettings off = new RouterSettings(2, Duration.ZERO, 0, Duration.ofSeconds(5), false, Map.of(), null);
        DeploymentStats stats = new DeploymentStats();
        for (int i = 0; i < 10; i++) {
            assertFalse(stats.failed(T0 + i, off, 30_000, "HTTP 429"));
        }
        assertFalse(stats.coolingDown(T0 + 10));
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        assertEquals(0, SETTINGS.backoffMillis(1, 0.0));
        assertEquals(20, SETTINGS.backoffMillis(1, 1.0));
        assertEquals(40, SETTINGS.backoffMillis(2, 1.0));
        assertEquals(1000, SETTINGS.backoffMillis(12, 1.0));
        RouterSettings floor = new RouterSettings(2, Duration.ofMillis(300), 0, Duration.ZERO, true, Map.of(),
                null);
        assertEquals(300, floor.backoffMillis(1, 0.5), "retry_after is the least wait");
        assertEquals(List.of(), floor.fallbacksOf("x"));
    }
}
