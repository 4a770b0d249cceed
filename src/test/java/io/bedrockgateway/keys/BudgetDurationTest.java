package io.bedrockgateway.keys;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BudgetDurationTest {
    private static final Instant JAN_31 = Instant.parse("2025-01-31T10:00:00Z");

    @Test
    void parsesEveryUnit() {
        assertEquals(Duration.ofSeconds(30), BudgetDuration.parse("30s"));
        assertEquals(Duration.ofMinutes(15), BudgetDuration.parse("15m"));
        assertEquals(Duration.ofHours(1), BudgetDuration.parse("1h"));
        assertEquals(Duration.ofDays(7), BudgetDuration.parse("7d"));
        assertEquals(Duration.ofDays(30), BudgetDuration.parse("30d"));
        assertEquals(Duration.ofDays(14), BudgetDuration.parse("2w"));
        assertEquals(Duration.ofDays(30), BudgetDuration.parse("1mo"), "a month counts 30 days as a length");
        assertEquals(Duration.ofDays(1), BudgetDuration.parse(" 1d "));
    }

    @Test
    void nextResetUsesCalendarMonthsInUtc() {
        assertEquals(JAN_31.plusSeconds(30), BudgetDuration.nextReset(JAN_31, "30s"));
        assertEquals(JAN_31.plus(Duration.ofDays(30)), BudgetDuration.nextReset(JAN_31, "30d"));
        assertEquals(Instant.parse("2025-02-28T10:00:00Z"), BudgetDuration.nextReset(JAN_31, "1mo"));
        assertEquals(Instant.parse("2025-04-30T10:00:00Z"), BudgetDuration.nextReset(JAN_31, "3mo"));
        assertEquals(Instant.parse("2024-02-29T10:00:00Z"),
                BudgetDuration.nextReset(Instant.parse("2024-01-31T10:00:00Z"), "1mo"));
    }

    @Test
    void rejectsMalformedDurationsClearly() {
        assertEquals("budget_duration \"30\" is not a number and a unit (s, m, h, d, w or mo), e.g. 30s, 15m, 1h,"
                + " 7d, 30d or 1mo", assertThrows(IllegalArgumentException.class, () -> BudgetDuration.parse("30"))
                .getMessage());
        for (String bad : new String[] {"1M", "1 d", "d", "-1d", "1.5h", "1y", "30days", "1dd", "mo"}) {
            assertThrows(IllegalArgumentException.class, () -> BudgetDuration.parse(bad), bad);
        }
        assertEquals("budget_duration is empty; expected e.g. 30s, 15m, 1h, 7d, 30d or 1mo",
                assertThrows(IllegalArgumentException.class, () -> BudgetDuration.parse(" ")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> BudgetDuration.parse(null));
        assertEquals("budget_duration \"0d\" must be more than 0 and at most 100 years",
                assertThrows(IllegalArgumentException.class, () -> BudgetDuration.parse("0d")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> BudgetDuration.parse("999999999mo"));
        assertThrows(IllegalArgumentException.class, () -> BudgetDuration.nextReset(JAN_31, "soon"));
    }
}
