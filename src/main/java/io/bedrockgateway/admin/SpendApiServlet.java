package io.bedrockgateway.admin;

import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.SpendLogRepository;
import io.bedrockgateway.spend.SpendLogRepository.Filter;
import io.bedrockgateway.spend.SpendLogRepository.GroupBy;
import io.bedrockgateway.spend.SpendLogRepository.ReportRow;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Spend routes: {@code GET /spend/logs} (LiteLLM's array of rows), {@code GET /spend/logs/v2} (the same rows with
 * page metadata), {@code GET /spend/report} and its alias {@code GET /global/spend/report}. See {@link AdminApi}
 * for the shapes.
 *
 * <p>Thread-safe. Runs on the container thread and blocks on the repository (admin calls are rare).
 */
final class SpendApiServlet extends AdminServlet {
    static final int MAX_PAGE_SIZE = 1_000;
    static final String TOTAL_COUNT_HEADER = "X-Total-Count";
    private static final Set<String> LOG_PARAMS = union(SpendQuery.FILTER_PARAMS, Set.of("page", "page_size"));
    private static final Set<String> LEGACY_LOG_PARAMS = union(LOG_PARAMS, Set.of("summarize"));
    private static final Set<String> REPORT_PARAMS = union(union(SpendQuery.FILTER_PARAMS,
            SpendQuery.FILTER_SYNONYMS.keySet()), Set.of("group_by"));
    /** LiteLLM's global report is per team and day unless told otherwise. */
    private static final Set<GroupBy> GLOBAL_REPORT_DEFAULT = EnumSet.of(GroupBy.TEAM, GroupBy.DAY);

    private final transient SpendLogRepository spend;

    SpendApiServlet(KeyVerifier master, SpendLogRepository spend) {
        super(master);
        this.spend = spend;
    }

    @Override
    Object handle(HttpServletRequest clientRequest, HttpServletResponse clientResponse, String path) {
        switch (path) {
            case "/spend/logs" -> {
                requireMethod(clientRequest, "GET");
                QueryParams query = QueryParams.parse(clientRequest.getQueryString(), LEGACY_LOG_PARAMS);
                if (query.booleanValue("summarize", false)) {
                    throw AdminException.badRequest("summarize", "summarize=true is not supported: use "
                            + "/spend/report?group_by=day for daily sums");
                }
                Page page = logs(query, MAX_PAGE_SIZE);
                clientResponse.setHeader(TOTAL_COUNT_HEADER, Long.toString(page.total));
                return page.rows;
            }
            case "/spend/logs/v2" -> {
                requireMethod(clientRequest, "GET");
                Page page = logs(QueryParams.parse(clientRequest.getQueryString(), LOG_PARAMS), 50);
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("data", page.rows);
                answer.put("total", page.total);
                answer.put("page", page.page);
                answer.put("page_size", page.pageSize);
                answer.put("total_pages", (page.total + page.pageSize - 1) / page.pageSize);
                return answer;
            }
            case "/spend/report" -> {
                requireMethod(clientRequest, "GET");
                return report(QueryParams.parse(clientRequest.getQueryString(), REPORT_PARAMS), Set.of());
            }
            case "/global/spend/report" -> {
                requireMethod(clientRequest, "GET");
                return report(QueryParams.parse(clientRequest.getQueryString(), REPORT_PARAMS),
                        GLOBAL_REPORT_DEFAULT);
            }
            default -> throw unknownRoute(clientRequest, path);
        }
    }

    private Page logs(QueryParams query, int defaultPageSize) {
        Filter filter = SpendQuery.filter(query);
        int page = query.intValue("page", 1, 1, Integer.MAX_VALUE);
        int pageSize = query.intValue("page_size", defaultPageSize, 1, MAX_PAGE_SIZE);
        long offset = (long) (page - 1) * pageSize;
        if (offset > Integer.MAX_VALUE) {
            throw AdminException.badRequest("page", "page is too large for this page_size");
        }
        long total = spend.count(filter);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SpendLog log : spend.find(filter, (int) offset, pageSize)) {
            rows.add(SpendView.log(log));
        }
        return new Page(rows, total, page, pageSize);
    }

    private Map<String, Object> report(QueryParams query, Set<GroupBy> defaultGroups) {
        Filter filter = SpendQuery.filter(query);
        Set<GroupBy> groups = SpendQuery.groupBy(query, defaultGroups);
        List<ReportRow> rows = new ArrayList<>(spend.report(filter, groups));
        rows.sort(REPORT_ORDER);
        List<Map<String, Object>> viewed = new ArrayList<>();
        for (ReportRow row : rows) {
            viewed.add(SpendView.reportRow(row, groups));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("group_by", List.copyOf(SpendQuery.names(groups)));
        answer.put("start_date", KeyView.time(filter.from()));
        answer.put("end_date", KeyView.time(filter.to()));
        answer.put("rows", viewed);
        answer.put("totals", SpendView.totals(rows));
        return answer;
    }

    /** Days in order, then the biggest spenders first, then by name, so the report reads the same every time. */
    private static final Comparator<ReportRow> REPORT_ORDER = Comparator
            .comparing(ReportRow::day, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(r -> r.cost() == null ? BigDecimal.ZERO : r.cost(), Comparator.reverseOrder())
            .thenComparing(r -> String.join("\u0000", Objects.toString(r.keyHash(), ""),
                    Objects.toString(r.userId(), ""), Objects.toString(r.teamId(), ""),
                    Objects.toString(r.endUser(), ""), Objects.toString(r.model(), "")));

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private record Page(List<Map<String, Object>> rows, long total, int page, int pageSize) {
    }
}
