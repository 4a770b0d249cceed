package io.bedrockgateway.admin;

import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.SpendLogRepository.GroupBy;
import io.bedrockgateway.spend.SpendLogRepository.ReportRow;
import io.bedrockgateway.spend.Usage;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spend rows in LiteLLM's names ({@code LiteLLM_SpendLogs}, {@code SpendMetrics}). Token counts follow LiteLLM's
 * (and OpenAI's) convention: {@code prompt_tokens} includes the cache reads and writes, which are also given on
 * their own, so {@code total_tokens = prompt_tokens + completion_tokens}. Stateless and thread-safe.
 */
final class SpendView {
    private SpendView() {
    }

    static Map<String, Object> log(SpendLog log) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("request_id", log.requestId());
        row.put("call_type", log.route());
        row.put("api_key", log.keyHash());
        row.put("key_alias", log.keyAlias());
        row.put("user", log.userId());
        row.put("team_id", log.teamId());
        row.put("end_user", log.endUser());
        row.put("model", log.modelAlias());
        row.put("model_group", log.modelAlias());
        row.put("model_id", log.modelId());
        row.put("deployment", log.deployment());
        row.put("status", log.status() >= 200 && log.status() < 300 ? "success" : "failure");
        row.put("status_code", log.status());
        putTokens(row, log.usage());
        row.put("spend", log.cost() == null ? BigDecimal.ZERO : log.cost());
        row.put("price_unknown", log.priceUnknown());
        row.put("startTime", KeyView.time(log.startTime()));
        row.put("endTime", KeyView.time(log.endTime()));
        row.put("completionStartTime", log.ttfbMillis() < 0 || log.startTime() == null ? null
                : KeyView.time(log.startTime().plusMillis(log.ttfbMillis())));
        row.put("latency_ms", log.latencyMillis());
        row.put("ttfb_ms", log.ttfbMillis() < 0 ? null : log.ttfbMillis());
        row.put("stream", log.streamed());
        return row;
    }

    /** One report group: the grouping fields asked for, then the sums. */
    static Map<String, Object> reportRow(ReportRow r, Set<GroupBy> groupBy) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (groupBy.contains(GroupBy.KEY)) {
            row.put("api_key", r.keyHash());
            row.put("key_alias", r.keyAlias());
        }
        if (groupBy.contains(GroupBy.USER)) {
            row.put("user_id", r.userId());
        }
        if (groupBy.contains(GroupBy.TEAM)) {
            row.put("team_id", r.teamId());
        }
        if (groupBy.contains(GroupBy.END_USER)) {
            row.put("end_user", r.endUser());
        }
        if (groupBy.contains(GroupBy.MODEL)) {
            row.put("model", r.model());
        }
        if (groupBy.contains(GroupBy.DAY)) {
            row.put("day", r.day());
        }
        putMetrics(row, r.requests(), new Usage(r.inputTokens(), r.outputTokens(), r.cacheReadTokens(),
                r.cacheWriteTokens()), r.cost());
        return row;
    }

    /** The sums over all {@code rows}. */
    static Map<String, Object> totals(List<ReportRow> rows) {
        long requests = 0;
        Usage usage = Usage.NONE;
        BigDecimal cost = BigDecimal.ZERO;
        for (ReportRow r : rows) {
            requests += r.requests();
            usage = usage.plus(new Usage(r.inputTokens(), r.outputTokens(), r.cacheReadTokens(),
                    r.cacheWriteTokens()));
            cost = cost.add(r.cost() == null ? BigDecimal.ZERO : r.cost());
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        putMetrics(totals, requests, usage, cost);
        return totals;
    }

    private static void putMetrics(Map<String, Object> row, long requests, Usage usage, BigDecimal cost) {
        row.put("api_requests", requests);
        putTokens(row, usage);
        row.put("spend", cost == null ? BigDecimal.ZERO : cost);
    }

    private static void putTokens(Map<String, Object> row, Usage usage) {
        Usage u = usage == null ? Usage.NONE : usage;
        row.put("prompt_tokens", u.inputTokens() + u.cacheReadTokens() + u.cacheWriteTokens());
        row.put("completion_tokens", u.outputTokens());
        row.put("cache_read_input_tokens", u.cacheReadTokens());
        row.put("cache_creation_input_tokens", u.cacheWriteTokens());
        row.put("total_tokens", u.totalTokens());
    }
}
