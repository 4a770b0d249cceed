package io.bedrockgateway.keys;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key's {@code budget_duration}, LiteLLM's form: a positive whole number and a unit, {@code s} (seconds),
 * {@code m} (minutes), {@code h} (hours), {@code d} (days), {@code w} (weeks) or {@code mo} (calendar months), e.g.
 * {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}, {@code 30d}, {@code 1mo}. Units are lower case, so that
 * {@code 1m} (a minute) is never read as a month. Stateless and thread-safe.
 */
public final class BudgetDuration {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(s|m|h|d|w|mo)");
    /** A hundred years, as the key API accepts: a budget period the API took must be one the resets can follow. */
    private static final Duration LONGEST = Duration.ofDays(36_525);

    private BudgetDuration() {
    }

    /**
     * The length of one period. A month counts as 30 days here; {@link #nextReset} uses real calendar months.
     *
     * @throws IllegalArgumentException when {@code duration} is not of the form above, zero or over ten years
     */
    public static Duration parse(String duration) {
        Matcher m = matcher(duration);
        long n = Long.parseLong(m.group(1));
        Duration length = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofDays(30 * n);
        };
        if (length.isZero() || length.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(
                    "budget_duration \"" + duration.trim() + "\" must be more than 0 and at most 100 years");
        }
        return length;
    }

    /**
     * When a period that starts at {@code from} ends: {@code from} plus the duration, where months are calendar
     * months in UTC (Jan 31 + 1mo = Feb 28 or 29).
     *
     * @throws IllegalArgumentException as {@link #parse}
     */
    public static Instant nextReset(Instant from, String duration) {
        Duration length = parse(duration);
        Matcher m = matcher(duration);
        if (m.group(2).equals("mo")) {
            return from.atOffset(ZoneOffset.UTC).plusMonths(Long.parseLong(m.group(1))).toInstant();
        }
        return from.plus(length);
    }

    private static Matcher matcher(String duration) {
        if (duration == null || duration.isBlank()) {
            throw new IllegalArgumentException("budget_duration is empty; expected e.g. 30s, 15m, 1h, 7d, 30d or 1mo");
        }
        Matcher m = FORM.matcher(duration.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("budget_duration \"" + shorten(duration.trim())
                    + "\" is not a number and a unit (s, m, h, d, w or mo), e.g. 30s, 15m, 1h, 7d, 30d or 1mo");
        }
        return m;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
