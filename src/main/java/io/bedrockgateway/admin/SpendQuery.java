package io.bedrockgateway.admin;

import io.bedrockgateway.keys.KeyHashing;
import io.bedrockgateway.spend.SpendLogRepository.Filter;
import io.bedrockgateway.spend.SpendLogRepository.GroupBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Query parameters of the spend routes, parsed strictly into a repository {@link Filter}, paging and grouping.
 *
 * <p>Dates: {@code start_date} and {@code end_date} take a date ({@code 2024-05-01}, LiteLLM's form) or a date-time
 * ({@code 2024-05-01T10:00:00Z}, with an offset, or without one, or with a space instead of {@code T}, meaning UTC).
 * The start is inclusive. A date-time end is exclusive; a date end includes that whole UTC day, so
 * {@code start_date=2024-05-01&end_date=2024-05-01} is that one day. Stateless and thread-safe.
 */
final class SpendQuery {
    static final Set<String> FILTER_PARAMS = Set.of("api_key", "user_id", "team_id", "end_user", "model",
            "start_date", "end_date");
    /** LiteLLM's names on {@code /global/spend/report}, beside ours. */
    static final Map<String, String> FILTER_SYNONYMS = Map.of("internal_user_id", "user_id",
            "customer_id", "end_user");
    private static final Map<String, GroupBy> GROUP_NAMES = Map.ofEntries(
            Map.entry("key", GroupBy.KEY), Map.entry("api_key", GroupBy.KEY),
            Map.entry("user", GroupBy.USER), Map.entry("user_id", GroupBy.USER),
            Map.entry("team", GroupBy.TEAM), Map.entry("team_id", GroupBy.TEAM),
            Map.entry("end_user", GroupBy.END_USER), Map.entry("customer", GroupBy.END_USER),
            Map.entry("model", GroupBy.MODEL), Map.entry("day", GroupBy.DAY));
    /** A {@code +} of an unencoded offset arrives as a space. */
    private static final Pattern SPACED_OFFSET = Pattern.compile("(.*T.*) (\\d{2}:?\\d{2})");

    private SpendQuery() {
    }

    /** The filter from {@link #FILTER_PARAMS} and, where given, their {@link #FILTER_SYNONYMS}. */
    static Filter filter(QueryParams query) {
        String apiKey = query.get("api_key");
        Instant from = instant(query, "start_date", false);
        Instant to = instant(query, "end_date", true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw AdminException.badRequest("end_date", "end_date must be after start_date");
        }
        return new Filter(apiKey == null ? null : KeyHashing.tokenOf(apiKey), either(query, "user_id"),
                either(query, "team_id"), either(query, "end_user"), query.get("model"), from, to);
    }

    /** {@code group_by}: a comma-separated list of key, user, team, end_user, model, day (or LiteLLM's names). */
    static Set<GroupBy> groupBy(QueryParams query, Set<GroupBy> defaults) {
        String value = query.get("group_by");
        if (value == null) {
            return defaults;
        }
        Set<GroupBy> groups = EnumSet.noneOf(GroupBy.class);
        for (String part : value.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            GroupBy group = GROUP_NAMES.get(name);
            if (group == null) {
                throw AdminException.badRequest("group_by", "group_by takes a comma-separated list of key, user, "
                        + "team, end_user, model, day; not '" + part.strip() + "'");
            }
            groups.add(group);
        }
        return groups;
    }

    /** The group-by names in our vocabulary, in the order of {@link GroupBy}. */
    static Set<String> names(Set<GroupBy> groups) {
        Set<String> names = new LinkedHashSet<>();
        for (GroupBy group : GroupBy.values()) {
            if (groups.contains(group)) {
                names.add(group.name().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static String either(QueryParams query, String name) {
        String value = query.get(name);
        for (Map.Entry<String, String> synonym : FILTER_SYNONYMS.entrySet()) {
            if (synonym.getValue().equals(name) && query.get(synonym.getKey()) != null) {
                if (value != null && !value.equals(query.get(synonym.getKey()))) {
                    throw AdminException.badRequest(synonym.getKey(), synonym.getKey() + " and " + name
                            + " disagree");
                }
                value = query.get(synonym.getKey());
            }
        }
        return value;
    }

    static Instant instant(QueryParams query, String param, boolean end) {
        String value = query.get(param);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            String text = value.replace(' ', 'T');
            var spaced = SPACED_OFFSET.matcher(value);
            if (spaced.matches()) {
                text = spaced.group(1).replace(' ', 'T') + "+" + spaced.group(2);
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw AdminException.badRequest(param, param + " must be a date (YYYY-MM-DD) or an ISO-8601 date-time, "
                    + "not '" + value + "'");
        }
    }
}
