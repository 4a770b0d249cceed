package io.bedrockgateway.admin;

import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.keys.KeyChangeListener;
import io.bedrockgateway.keys.KeyRepository;
import io.bedrockgateway.spend.SpendLogRepository;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The admin HTTP API for virtual keys and spend, compatible with LiteLLM's proxy: same paths, field names and
 * error shape, so LiteLLM admin scripts work against the gateway. Every route needs the master key, found as on the
 * Bedrock routes ({@code Authorization: Bearer}, {@code x-api-key}, {@code x-litellm-api-key}, ...): none is 401,
 * any other key (a virtual key too) is 403.
 *
 * <h2>Routes</h2>
 * <pre>
 * POST /key/generate          {"key_alias":"ci","models":["claude"],"max_budget":10,"budget_duration":"30d"}
 *   → {"key":"sk-…(shown once)","key_name":"sk-...AbCd","key_alias":"ci","token":"&lt;sha256 hex&gt;",
 *      "token_id":"&lt;same&gt;","expires":null,"duration":null,"spend":0,"max_budget":10,"soft_budget":null,
 *      "budget_duration":"30d","budget_reset_at":"2025-07-01T12:00:00Z","models":["claude"],"user_id":null,
 *      "team_id":null,"metadata":{},"tpm_limit":null,"rpm_limit":null,"max_parallel_requests":null,
 *      "blocked":false,"created_at":"…","updated_at":"…"}
 * GET  /key/info?key=sk-…|token      → {"key":"&lt;as given&gt;","info":{"token":…,"key_name":…,"spend":…, …}}
 * POST /key/update             {"key":"sk-…|token", any generate field} → {"key":"&lt;as given&gt;", …info fields}
 * POST /key/delete             {"keys":["sk-…"|token…],"key_aliases":[…]} → {"deleted_keys":[…as given]}
 * GET  /key/list?page=1&amp;size=10[&amp;user_id=&amp;team_id=&amp;key_alias=&amp;return_full_object=true]
 *   → {"keys":[token…] or [info…],"total_count":n,"current_page":1,"total_pages":m}   newest first, size ≤ 100
 * POST /key/regenerate         {"key":"sk-…|token"[,"new_key":"sk-…"][, generate fields]}   (or ?key=)
 * POST /key/{key}/regenerate   [{"new_key":…, generate fields}]
 *   → the generate answer for the new key: same settings (updated by any given fields) and spend
 * POST /key/block, /key/unblock  {"key":"sk-…|token"} → the info object
 * GET  /spend/logs?api_key=&amp;user_id=&amp;team_id=&amp;end_user=&amp;model=&amp;start_date=&amp;end_date=
 *                 &amp;page=&amp;page_size=
 *   → [{"request_id","call_type","api_key","key_alias","user","team_id","end_user","model","model_group",
 *       "model_id","deployment","status":"success|failure","status_code","prompt_tokens","completion_tokens",
 *       "cache_read_input_tokens","cache_creation_input_tokens","total_tokens","spend","price_unknown",
 *       "startTime","endTime","completionStartTime","latency_ms","ttfb_ms","stream"}…]  newest first,
 *     page_size ≤ 1000 (default 1000), header X-Total-Count; api_key takes the key or its token; summarize=false
 *     is accepted, summarize=true (LiteLLM's legacy daily sums) is a 400 pointing to /spend/report
 * GET  /spend/logs/v2?…same…   → {"data":[rows],"total":n,"page":p,"page_size":s,"total_pages":t}  (default 50)
 * GET  /spend/report?group_by=key,model,day&amp;start_date=2025-06-01&amp;end_date=2025-06-30[&amp;filters as logs]
 *   → {"group_by":["key","model","day"],"start_date":"…Z"|null,"end_date":"…Z"|null,
 *      "rows":[{"api_key","key_alias","model","day":"2025-06-03","api_requests","prompt_tokens",
 *               "completion_tokens","cache_read_input_tokens","cache_creation_input_tokens","total_tokens",
 *               "spend"}…],
 *      "totals":{"api_requests",…,"spend"}}
 *   group_by: key (api_key), user (user_id), team, end_user (customer), model, day; none: one total row.
 *   Rows carry only the grouping fields asked for; ordered by day, then spend descending. LiteLLM's filter names
 *   internal_user_id and customer_id are accepted beside user_id and end_user.
 * GET  /global/spend/report   the same report (not LiteLLM's nested shape); group_by defaults to team,day
 * GET  /end_user/info?end_user_id=u   (also /customer/info)
 *   → {"user_id":"u","spend":1.25,"blocked":false,"litellm_budget_table":{"max_budget":5}|null}
 * </pre>
 *
 * Dates ({@code start_date}, {@code end_date}): {@code YYYY-MM-DD} or an ISO-8601 date-time, UTC unless an offset is
 * given; the start is inclusive, a date-time end exclusive, a date end includes that whole day. Token counts:
 * {@code prompt_tokens} includes cache reads and writes (LiteLLM's convention), which are also given apart.
 *
 * <h2>Errors</h2>
 * {@code {"error":{"message":"…","type":"bad_request_error|auth_error|not_found_error|internal_server_error",
 * "param":"max_budget"|null,"code":"400"}}}. Validation errors are 400 and name the field in {@code param} (the
 * message lists every problem); unknown keys are 404; a request that fails writes nothing. See
 * {@link KeyRequestValidator} for the field rules.
 *
 * <h2>Threading</h2>
 * The repositories block (JDBC). Admin calls are rare, so the servlets run them synchronously on the container
 * thread rather than on the gateway's database executor. The servlets are thread-safe.
 */
public final class AdminApi {
    private AdminApi() {
    }

    /**
     * Registers the admin servlets on {@code ctx} ({@code /key/*}, {@code /spend/*}, {@code /global/spend/*},
     * {@code /end_user/*}, {@code /customer/*}). Call it while the context initialises (from a
     * {@code ServletContextListener} or {@code ServletContainerInitializer}).
     *
     * @param master         accepts the master key only; a principal that is not {@code master()} is refused
     * @param onChange       told of every token the API changed, created or deleted (invalidate caches)
     * @param clock          for creation, update, expiry and budget reset times
     * @param endUserBudgets the configured budget of an end user, for {@code /end_user/info}
     * @throws IllegalStateException if one of the paths is mapped already
     */
    public static void register(ServletContext ctx, KeyVerifier master, KeyRepository keys,
                                SpendLogRepository spend, KeyChangeListener onChange, Clock clock,
                                Function<String, Optional<BigDecimal>> endUserBudgets) {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(spend, "spend");
        Objects.requireNonNull(onChange, "onChange");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(endUserBudgets, "endUserBudgets");
        KeyOperations operations = new KeyOperations(keys, master, onChange, clock);
        add(ctx, "admin-keys", new KeyApiServlet(master, keys, operations), "/key/*");
        add(ctx, "admin-spend", new SpendApiServlet(master, spend), "/spend/*", "/global/spend/*");
        add(ctx, "admin-end-users", new EndUserApiServlet(master, spend, endUserBudgets),
                "/end_user/*", "/customer/*");
    }

    private static void add(ServletContext ctx, String name, AdminServlet servlet, String... patterns) {
        ServletRegistration.Dynamic registration = ctx.addServlet(name, servlet);
        if (registration == null) {
            throw new IllegalStateException("a servlet named " + name + " is registered already");
        }
        Set<String> taken = registration.addMapping(patterns);
        if (!taken.isEmpty()) {
            throw new IllegalStateException("admin paths mapped already: " + taken);
        }
    }
}
