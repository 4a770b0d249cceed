package io.bedrockgateway.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Persistent spend log and per-end-user spend. Thread-safe; blocking (database I/O), so only the spend recorder's
 * executor and the admin API call it.
 */
public interface SpendLogRepository {

    /** Inserts a batch in one transaction. */
    void insertAll(Collection<SpendLog> logs);

    /** Rows matching {@code filter}, newest first. */
    List<SpendLog> find(Filter filter, int offset, int limit);

    long count(Filter filter);

    /** Sums of requests, tokens and cost, grouped by the given dimensions (empty: one total row). */
    List<ReportRow> report(Filter filter, Set<GroupBy> groupBy);

    /** Adds to each end user's spend with atomic {@code spend = spend + ?} updates (insert when new). */
    void addEndUserSpend(Map<String, BigDecimal> deltasByEndUser);

    /** An end user's accumulated spend (0 when unknown). */
    BigDecimal endUserSpend(String endUser);

    /** Filters; {@code null} fields are ignored; times are inclusive start, exclusive end. */
    record Filter(String keyHash, String userId, String teamId, String endUser, String model, Instant from,
                  Instant to) {
        public static final Filter ALL = new Filter(null, null, null, null, null, null, null);
    }

    enum GroupBy { KEY, USER, TEAM, END_USER, MODEL, DAY }

    /**
     * One group of a report; the grouping fields not asked for are {@code null}.
     *
     * @param day UTC date {@code yyyy-MM-dd} when grouped by day
     */
    record ReportRow(String keyHash, String keyAlias, String userId, String teamId, String endUser, String model,
                     String day, long requests, long inputTokens, long outputTokens, long cacheReadTokens,
                     long cacheWriteTokens, BigDecimal cost) {
    }
}
