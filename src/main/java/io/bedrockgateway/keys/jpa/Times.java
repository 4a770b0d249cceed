package io.bedrockgateway.keys.jpa;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Instants as the databases keep them: {@code TIMESTAMP WITH TIME ZONE} columns, read and written as UTC
 * {@link OffsetDateTime}s (EclipseLink 5 cannot read H2's into an {@code Instant} attribute, and pgJDBC binds no
 * {@code Instant}), at microsecond precision (both databases' default).
 */
public final class Times {
    private Times() {
    }

    /** {@code t} truncated to microseconds, so that what is stored reads back equal; {@code null} stays null. */
    public static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    public static Instant now(Clock clock) {
        return micros(clock.instant());
    }

    /** The column value for {@code t}; {@code null} stays null. */
    public static OffsetDateTime column(Instant t) {
        return t == null ? null : micros(t).atOffset(ZoneOffset.UTC);
    }

    /** The instant of a column value; {@code null} stays null. */
    public static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
