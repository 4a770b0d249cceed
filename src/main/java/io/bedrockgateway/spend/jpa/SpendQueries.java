package io.bedrockgateway.spend.jpa;

import io.bedrockgateway.keys.jpa.DatabaseVendor;
import io.bedrockgateway.keys.jpa.Money;
import io.bedrockgateway.keys.jpa.Times;
import io.bedrockgateway.spend.SpendLogRepository.Filter;
import io.bedrockgateway.spend.SpendLogRepository.GroupBy;
import io.bedrockgateway.spend.SpendLogRepository.ReportRow;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The spend-log WHERE clause, for JPQL (over {@code SpendLogRow s}) and for SQL, and the report's SQL. Parameters are
 * numbered ({@code ?1}), which both EclipseLink's JPQL and its native queries accept. Stateless and thread-safe.
 */
final class SpendQueries {
    /** A WHERE clause (empty or starting with " WHERE ") and its parameters, {@code ?1} first. */
    record Where(String clause, List<Object> parameters) {
    }

    private SpendQueries() {
    }

    static Where jpql(Filter filter) {
        return where(filter, false);
    }

    static Where sql(Filter filter) {
        return where(filter, true);
    }

    private static Where where(Filter f, boolean sql) {
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        equal(conditions, params, sql ? "key_hash" : "s.keyHash", f.keyHash());
        equal(conditions, params, sql ? "user_id" : "s.userId", f.userId());
        equal(conditions, params, sql ? "team_id" : "s.teamId", f.teamId());
        equal(conditions, params, sql ? "end_user" : "s.endUser", f.endUser());
        if (f.model() != null) {
            params.add(f.model());
            int n = params.size();
            // The name the client used, or the model id that went upstream.
            conditions.add(sql ? "(model_alias = ?" + n + " OR model_id = ?" + n + ")"
                    : "(s.modelAlias = ?" + n + " OR s.modelId = ?" + n + ")");
        }
        if (f.from() != null) {
            params.add(Times.column(f.from()));
            conditions.add((sql ? "start_time" : "s.startTime") + " >= ?" + params.size());
        }
        if (f.to() != null) {
            params.add(Times.column(f.to()));
            conditions.add((sql ? "start_time" : "s.startTime") + " < ?" + params.size());
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), params);
    }

    private static void equal(List<String> conditions, List<Object> params, String column, String value) {
        if (value != null) {
            params.add(value);
            conditions.add(column + " = ?" + params.size());
        }
    }


    /**
     * The report: one row per group, the day first (ascending) when grouped by day, then the most expensive groups.
     * Columns: the grouping columns in {@link GroupBy} order (KEY takes two: hash and alias), then requests, four
     * token sums and cost.
     */
    static String reportSql(DatabaseVendor vendor, Set<GroupBy> groupBy, Where where) {
        Set<GroupBy> groups = groupBy.isEmpty() ? EnumSet.noneOf(GroupBy.class) : EnumSet.copyOf(groupBy);
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        StringJoiner group = new StringJoiner(", ", " GROUP BY ", "").setEmptyValue("");
        StringJoiner order = new StringJoiner(", ", " ORDER BY ", "");
        if (groups.contains(GroupBy.DAY)) {
            order.add("g_day");
        }
        order.add("total_cost DESC");
        for (GroupBy g : groups) {
            String expression = expression(vendor, g);
            select.add(expression + " AS g_" + g.name().toLowerCase(java.util.Locale.ROOT));
            if (g == GroupBy.KEY) {
                select.add("MAX(key_alias) AS g_key_alias");
            }
            group.add(expression);
            if (g != GroupBy.DAY) {
                order.add("g_" + g.name().toLowerCase(java.util.Locale.ROOT) + " NULLS LAST");
            }
        }
        select.add("COUNT(*) AS requests").add("COALESCE(SUM(input_tokens), 0) AS input_tokens")
                .add("COALESCE(SUM(output_tokens), 0) AS output_tokens")
                .add("COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens")
                .add("COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens")
                .add("COALESCE(SUM(cost), 0) AS total_cost");
        return select + " FROM spend_logs" + where.clause() + group + order;
    }

    private static String expression(DatabaseVendor vendor, GroupBy g) {
        return switch (g) {
            case KEY -> "key_hash";
            case USER -> "user_id";
            case TEAM -> "team_id";
            case END_USER -> "end_user";
            case MODEL -> "model_alias";
            case DAY -> vendor.utcDay("start_time");
        };
    }

    /** One result row of {@link #reportSql} as a {@link ReportRow}. */
    static ReportRow reportRow(Set<GroupBy> groupBy, Object[] row) {
        int i = 0;
        String keyHash = null;
        String keyAlias = null;
        String[] values = new String[GroupBy.values().length];
        for (GroupBy g : EnumSet.allOf(GroupBy.class)) {
            if (!groupBy.contains(g)) {
                continue;
            }
            if (g == GroupBy.KEY) {
                keyHash = (String) row[i++];
                keyAlias = (String) row[i++];
            } else {
                values[g.ordinal()] = row[i] == null ? null : row[i].toString();
                i++;
            }
        }
        return new ReportRow(keyHash, keyAlias, values[GroupBy.USER.ordinal()], values[GroupBy.TEAM.ordinal()],
                values[GroupBy.END_USER.ordinal()], values[GroupBy.MODEL.ordinal()], values[GroupBy.DAY.ordinal()],
                count(row[i]), count(row[i + 1]), count(row[i + 2]), count(row[i + 3]), count(row[i + 4]),
                Money.normalize(row[i + 5] instanceof BigDecimal b ? b : new BigDecimal(row[i + 5].toString())));
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
