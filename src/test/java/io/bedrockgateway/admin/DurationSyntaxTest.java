package io.bedrockgateway.admin;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationSyntaxTest {
    private static final Instant T = Instant.parse("2025-01-31T10:00:00Z");

    @Test
    void unitsAddUp() {
        assertEquals(Instant.parse("2025-01-31T10:00:30Z"), DurationSyntax.addTo(T, "30s"));
        assertEquals(Instant.parse("2025-01-31T10:15:00Z"), DurationSyntax.addTo(T, "15m"));
        assertEquals(Instant.parse("2025-01-31T11:00:00Z"), DurationSyntax.addTo(T, "1h"));
        assertEquals(Instant.parse("2025-02-07T10:00:00Z"), DurationSyntax.addTo(T, "7d"));
        assertEquals(Instant.parse("2025-03-02T10:00:00Z"), DurationSyntax.addTo(T, "30d"));
    }

    @Test
    void monthsAreCalendarMonthsInUtc() {
        assertEquals(Instant.parse("2025-02-28T10:00:00Z"), DurationSyntax.addTo(T, "1mo"));
        assertEquals(Instant.parse("2026-01-31T10:00:00Z"), DurationSyntax.addTo(T, "12mo"));
    }

    @Test
    void problems() {
        assertNull(DurationSyntax.problem("1200mo"));
        assertNull(DurationSyntax.problem("36525d"));
        assertNotNull(DurationSyntax.problem("1201mo"));
        assertNotNull(DurationSyntax.problem("36526d"));
        assertNotNull(DurationSyntax.problem("0s"));
        assertNotNull(DurationSyntax.problem("1000000000s"));
        assertNotNull(DurationSyntax.problem("1w"));
        assertNotNull(DurationSyntax.problem("1y"));
        assertNotNull(DurationSyntax.problem(""));
        assertNotNull(DurationSyntax.problem("d"));
        assertNotNull(DurationSyntax.problem("+1d"));
        assertNotNull(DurationSyntax.problem("1d "));
        assertThrows(IllegalArgumentException.class, () -> DurationSyntax.addTo(T, "1w"));
    }
}
