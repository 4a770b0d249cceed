package io.bedrockgateway.admin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of {@code duration} (key expiry) and {@code budget_duration}: a positive whole number and a
 * unit, {@code s}, {@code m} (minutes), {@code h}, {@code d} or {@code mo} (calendar months, in UTC), e.g.
 * {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}, {@code 30d}, {@code 1mo}; at most 100 years. Stateless and
 * thread-safe.
 */
final class DurationSyntax {
    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9})(s|m|h|d|mo)");
    private static final long MAX_SECONDS = 36_525L * 86_400;
    private static final long MAX_MONTHS = 1_200;

    private DurationSyntax() {
    }

    /** Why {@code value} is not a valid duration, or {@code null} when it is. */
    static String problem(String value) {
        Matcher m = SYNTAX.matcher(value);
        if (!m.matches()) {
            return "must be a number and a unit s, m, h, d or mo, e.g. 30s, 15m, 1h, 7d, 30d, 1mo";
        }
        long amount = Long.parseLong(m.group(1));
        if (amount == 0) {
            return "must be longer than zero";
        }
        boolean months = "mo".equals(m.group(2));
        if (months ? amount > MAX_MONTHS : amount * unitSeconds(m.group(2)) > MAX_SECONDS) {
            return "must not be longer than 100 years";
        }
        return null;
    }

    /** {@code from} plus a duration that {@link #problem} accepted. */
    static Instant addTo(Instant from, String duration) {
        Matcher m = SYNTAX.matcher(duration);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + duration);
        }
        long amount = Long.parseLong(m.group(1));
        if ("mo".equals(m.group(2))) {
            return from.atZone(ZoneOffset.UTC).plusMonths(amount).toInstant();
        }
        return from.plusSeconds(amount * unitSeconds(m.group(2)));
    }

    private static long unitSeconds(String unit) {
        return switch (unit) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3_600;
            case "d" -> 86_400;
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
