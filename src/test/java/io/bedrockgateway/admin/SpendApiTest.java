package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.admin.AdminApiServer.Reply;
import io.bedrockgateway.keys.KeyHashing;
import io.bedrockgateway.spend.SpendLog;
import io.bedrockgateway.spend.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.bedrockgateway.admin.KeyApiTest.assertAmount;
import static io.bedrockgateway.admin.KeyApiTest.assertError;
import static io.bedrockgateway.admin.KeyApiTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spend logs, the spend report and end-user info, over HTTP against in-memory repositories. */
@Timeout(60)
class SpendApiTest {
    static final String KEY_A = "sk-test-key-A-000000001";
    static final String TOKEN_A = KeyHashing.sha256Hex(KEY_A);
    static final String TOKEN_B = KeyHashing.sha256Hex("sk-test-key-B-000000001");
    static final List<String> LOG_FIELDS = List.of("request_id", "call_type", "api_key", "key_alias", "user",
            "team_id", "end_user", "model", "model_group", "model_id", "deployment", "status", "status_code",
            "prompt_tokens", "completion_tokens", "cache_read_input_tokens", "cache_creation_input_tokens",
            "total_tokens", "spend", "price_unknown", "startTime", "endTime", "completionStartTime", "latency_ms",
            "ttfb_ms", "stream");
    static final List<String> METRICS = List.of("api_requests", "prompt_tokens", "completion_tokens",
            "cache_read_input_tokens", "cache_creation_input_tokens", "total_tokens", "spend");

    AdminApiServer server;

    /** The repositories to test; override to run these scenarios against another implementation. */
    AdminApiServer.Backend backend() {
        return AdminApiServer.inMemory();
    }

    @BeforeEach
    void start() {
        server = AdminApiServer.start(backend());
        server.spend.insertAll(List.of(
                log("r1", TOKEN_A, "a", "u1", "t1", "e1", "claude", "2025-06-01T10:00:00Z", new Usage(100, 50, 10, 5),
                        "0.10", 200, 120, false),
                log("r2", TOKEN_A, "a", "u1", "t1", "e2", "cohere", "2025-06-01T23:59:59Z", new Usage(200, 20, 0, 0),
                        "0.05", 200, 80, false),
                log("r3", TOKEN_B, "b", "u2", "t1", "e1", "claude", "2025-06-02T00:00:00Z", new Usage(10, 10, 0, 0),
                        "0.01", 500, -1, false),
                log("r4", TOKEN_B, "b", "u2", "t2", null, null, "2025-06-03T08:00:00Z", Usage.NONE, "0", 200, 30,
                        true),
                log("r5", TOKEN_A, "a", "u1", "t1", "e1", "claude", "2025-06-03T09:00:00Z",
                        new Usage(1000, 100, 0, 0), "1.00", 200, 200, true)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void logsAreLiteLlmRowsNewestFirst() {
        Reply reply = server.get("/spend/logs");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("5", reply.header("X-Total-Count"));
        assertEquals(List.of("r5", "r4", "r3", "r2", "r1"), ids(reply.json()));
        JsonNode r1 = reply.json().get(4);
        assertEquals(LOG_FIELDS, names(r1));
        assertEquals("r1", r1.get("request_id").asText());
        assertEquals("Converse", r1.get("call_type").asText());
        assertEquals(TOKEN_A, r1.get("api_key").asText());
        assertEquals("a", r1.get("key_alias").asText());
        assertEquals("u1", r1.get("user").asText());
        assertEquals("t1", r1.get("team_id").asText());
        assertEquals("e1", r1.get("end_user").asText());
        assertEquals("claude", r1.get("model").asText());
        assertEquals("claude", r1.get("model_group").asText());
        assertEquals("us.anthropic.claude-model", r1.get("model_id").asText());
        assertEquals("claude#0", r1.get("deployment").asText());
        assertEquals("success", r1.get("status").asText());
        assertEquals(200, r1.get("status_code").intValue());
        assertEquals(115, r1.get("prompt_tokens").intValue(), "input plus cache read and write");
        assertEquals(50, r1.get("completion_tokens").intValue());
        assertEquals(10, r1.get("cache_read_input_tokens").intValue());
        assertEquals(5, r1.get("cache_creation_input_tokens").intValue());
        assertEquals(165, r1.get("total_tokens").intValue());
        assertAmount("0.10", r1.get("spend"));
        assertEquals(false, r1.get("price_unknown").booleanValue());
        assertEquals("2025-06-01T10:00:00Z", r1.get("startTime").asText());
        assertEquals("2025-06-01T10:00:01.500Z", r1.get("endTime").asText());
        assertEquals("2025-06-01T10:00:00.120Z", r1.get("completionStartTime").asText());
        assertEquals(1500, r1.get("latency_ms").intValue());
        assertEquals(120, r1.get("ttfb_ms").intValue());
        assertEquals(false, r1.get("stream").booleanValue());

        JsonNode r3 = reply.json().get(2);
        assertEquals("failure", r3.get("status").asText());
        assertTrue(r3.get("ttfb_ms").isNull());
        assertTrue(r3.get("completionStartTime").isNull());
        JsonNode r4 = reply.json().get(1);
        assertTrue(r4.get("model").isNull());
        assertTrue(r4.get("end_user").isNull());
        assertTrue(r4.get("price_unknown").booleanValue());
        assertTrue(r4.get("stream").booleanValue());
    }

    @Test
    void logFilters() {
        assertEquals(List.of("r5", "r2", "r1"), logIds("api_key=" + KEY_A));
        assertEquals(List.of("r4", "r3"), logIds("api_key=" + TOKEN_B));
        assertEquals(List.of("r4", "r3"), logIds("user_id=u2"));
        assertEquals(List.of("r5", "r3", "r2", "r1"), logIds("team_id=t1"));
        assertEquals(List.of("r5", "r3", "r1"), logIds("end_user=e1"));
        assertEquals(List.of("r5", "r3", "r1"), logIds("model=claude"));
        assertEquals(List.of("r5", "r1"), logIds("user_id=u1&model=claude"));
        assertEquals(List.of(), logIds("api_key=sk-nobody-key-00000001"));
        // A date end includes that whole day; a date-time end is exclusive; starts are inclusive.
        assertEquals(List.of("r2", "r1"), logIds("start_date=2025-06-01&end_date=2025-06-01"));
        assertEquals(List.of("r5", "r4", "r3"), logIds("start_date=2025-06-02"));
        assertEquals(List.of("r2", "r1"), logIds("end_date=2025-06-02T00:00:00Z"));
        assertEquals(List.of("r3", "r2", "r1"), logIds("start_date=2025-06-01T10:00:00Z&end_date=2025-06-02"));
        assertEquals(List.of("r5", "r4", "r3", "r2"), logIds("start_date=2025-06-01%2012:00:00"));
        assertEquals(List.of("r5", "r4", "r3", "r2", "r1"), logIds("start_date=2025-06-01T12:00:00%2B02:00"));
        assertEquals(List.of("r5", "r4", "r3", "r2", "r1"), logIds("start_date=2025-06-01T12:00:00+02:00"));
        assertEquals(List.of("r5", "r4"), logIds("start_date=2025-06-03T00:00:00.000"));
    }

    @Test
    void logPaging() {
        Reply page = server.get("/spend/logs?page=2&page_size=2");
        assertEquals(List.of("r3", "r2"), ids(page.json()));
        assertEquals("5", page.header("X-Total-Count"));

        Reply v2 = server.get("/spend/logs/v2?page=3&page_size=2&team_id=t1");
        assertEquals(200, v2.status(), v2::toString);
        assertEquals(List.of("data", "total", "page", "page_size", "total_pages"), names(v2.json()));
        assertEquals(List.of(), ids(v2.json().get("data")));
        assertEquals(4, v2.json().get("total").intValue());
        assertEquals(3, v2.json().get("page").intValue());
        assertEquals(2, v2.json().get("page_size").intValue());
        assertEquals(2, v2.json().get("total_pages").intValue());
        Reply defaults = server.get("/spend/logs/v2");
        assertEquals(50, defaults.json().get("page_size").intValue());
        assertEquals(List.of("r5", "r4", "r3", "r2", "r1"), ids(defaults.json().get("data")));
        assertEquals(KeyApiTest.names(server.get("/spend/logs").json().get(0)),
                names(defaults.json().get("data").get(0)), "same rows");
    }

    @Test
    void logParameterErrors() {
        assertError(server.get("/spend/logs?start_date=2025-13-01"), 400, "bad_request_error", "start_date");
        assertError(server.get("/spend/logs?end_date=yesterday"), 400, "bad_request_error", "end_date");
        assertError(server.get("/spend/logs?start_date=2025-06-02&end_date=2025-06-01"), 400, "bad_request_error",
                "end_date");
        assertError(server.get("/spend/logs?start_date=2025-06-02T00:00:00Z&end_date=2025-06-02T00:00:00Z"), 400,
                "bad_request_error", "end_date");
        assertError(server.get("/spend/logs?page_size=0"), 400, "bad_request_error", "page_size");
        assertError(server.get("/spend/logs/v2?page_size=1001"), 400, "bad_request_error", "page_size");
        assertError(server.get("/spend/logs?page=0"), 400, "bad_request_error", "page");
        assertError(server.get("/spend/logs?summarize=true"), 400, "bad_request_error", "summarize");
        assertError(server.get("/spend/logs?request_id=r1"), 400, "bad_request_error", "request_id");
        assertError(server.get("/spend/logs/v2?summarize=false"), 400, "bad_request_error", "summarize");
        assertEquals(200, server.get("/spend/logs?summarize=false&start_date=2025-06-01").status());
    }

    @Test
    void reportGroupedByKeyModelAndDay() {
        Reply reply = server.get("/spend/report?group_by=key,model,day");
        assertEquals(200, reply.status(), reply::toString);
        JsonNode body = reply.json();
        assertEquals(List.of("group_by", "start_date", "end_date", "rows", "totals"), names(body));
        assertEquals("[\"key\",\"model\",\"day\"]", body.get("group_by").toString());
        assertTrue(body.get("start_date").isNull());
        assertTrue(body.get("end_date").isNull());
        List<String> rowFields = new ArrayList<>(List.of("api_key", "key_alias", "model", "day"));
        rowFields.addAll(METRICS);
        JsonNode rows = body.get("rows");
        assertEquals(5, rows.size());
        rows.forEach(row -> assertEquals(rowFields, names(row)));
        assertRow(rows.get(0), Map.of("api_key", TOKEN_A, "key_alias", "a", "model", "claude", "day", "2025-06-01"),
                1, 115, 50, 10, 5, "0.10");
        assertRow(rows.get(1), Map.of("api_key", TOKEN_A, "model", "cohere", "day", "2025-06-01"),
                1, 200, 20, 0, 0, "0.05");
        assertRow(rows.get(2), Map.of("api_key", TOKEN_B, "key_alias", "b", "model", "claude", "day", "2025-06-02"),
                1, 10, 10, 0, 0, "0.01");
        assertRow(rows.get(3), Map.of("api_key", TOKEN_A, "model", "claude", "day", "2025-06-03"),
                1, 1000, 100, 0, 0, "1.00");
        assertRow(rows.get(4), Map.of("api_key", TOKEN_B, "day", "2025-06-03"), 1, 0, 0, 0, 0, "0");
        assertTrue(rows.get(4).get("model").isNull());
        assertEquals(METRICS, names(body.get("totals")));
        assertRow(body.get("totals"), Map.of(), 5, 1325, 180, 10, 5, "1.16");
    }

    @Test
    void reportWithoutGroupingIsOneTotalRow() {
        JsonNode body = server.get("/spend/report?api_key=" + KEY_A).json();
        assertEquals("[]", body.get("group_by").toString());
        assertEquals(1, body.get("rows").size());
        assertEquals(METRICS, names(body.get("rows").get(0)));
        assertRow(body.get("rows").get(0), Map.of(), 3, 1315, 170, 10, 5, "1.15");
        assertRow(body.get("totals"), Map.of(), 3, 1315, 170, 10, 5, "1.15");
    }

    @Test
    void reportByUserTeamAndEndUserWithinDates() {
        JsonNode endUsers = server.get("/spend/report?group_by=end_user&start_date=2025-06-01&end_date=2025-06-02")
                .json();
        assertEquals("2025-06-01T00:00:00Z", endUsers.get("start_date").asText());
        assertEquals("2025-06-03T00:00:00Z", endUsers.get("end_date").asText());
        assertEquals(2, endUsers.get("rows").size());
        assertRow(endUsers.get("rows").get(0), Map.of("end_user", "e1"), 2, 125, 60, 10, 5, "0.11");
        assertRow(endUsers.get("rows").get(1), Map.of("end_user", "e2"), 1, 200, 20, 0, 0, "0.05");

        JsonNode users = server.get("/spend/report?group_by=user,%20team").json();
        assertEquals("[\"user\",\"team\"]", users.get("group_by").toString());
        assertEquals(3, users.get("rows").size());
        assertRow(users.get("rows").get(0), Map.of("user_id", "u1", "team_id", "t1"), 3, 1315, 170, 10, 5, "1.15");
        assertRow(users.get("rows").get(1), Map.of("user_id", "u2", "team_id", "t1"), 1, 10, 10, 0, 0, "0.01");
        assertRow(users.get("rows").get(2), Map.of("user_id", "u2", "team_id", "t2"), 1, 0, 0, 0, 0, "0");

        assertError(server.get("/spend/report?group_by=key,week"), 400, "bad_request_error", "group_by");
        assertError(server.get("/spend/report?group_by=key&page=1"), 400, "bad_request_error", "page");
        assertError(server.get("/spend/report?end_date=2025-06-01T00:00:00Z&start_date=2025-06-02"), 400,
                "bad_request_error", "end_date");
    }

    @Test
    void globalSpendReportIsAnAliasWithLiteLlmNames() {
        JsonNode defaults = server.get("/global/spend/report?start_date=2025-06-01&end_date=2025-06-01").json();
        assertEquals("[\"team\",\"day\"]", defaults.get("group_by").toString());
        assertEquals(1, defaults.get("rows").size());
        assertRow(defaults.get("rows").get(0), Map.of("team_id", "t1", "day", "2025-06-01"), 2, 315, 70, 10, 5,
                "0.15");

        JsonNode byCustomer = server.get("/global/spend/report?group_by=customer,api_key&customer_id=e1"
                + "&internal_user_id=u1").json();
        assertEquals("[\"key\",\"end_user\"]", byCustomer.get("group_by").toString());
        assertEquals(1, byCustomer.get("rows").size());
        assertRow(byCustomer.get("rows").get(0), Map.of("api_key", TOKEN_A, "end_user", "e1"), 2, 1115, 150, 10, 5,
                "1.10");
        assertError(server.get("/global/spend/report?user_id=u1&internal_user_id=u2"), 400, "bad_request_error",
                "internal_user_id");
    }

    @Test
    void endUserInfo() {
        server.spend.addEndUserSpend(Map.of("e1", new BigDecimal("1.25")));
        server.endUserBudgets.put("e1", new BigDecimal("5"));
        Reply known = server.get("/end_user/info?end_user_id=e1");
        assertEquals(200, known.status(), known::toString);
        assertEquals(List.of("user_id", "spend", "blocked", "litellm_budget_table"), names(known.json()));
        assertEquals("e1", known.json().get("user_id").asText());
        assertAmount("1.25", known.json().get("spend"));
        assertFalse(known.json().get("blocked").booleanValue());
        assertEquals("{\"max_budget\":5}", known.json().get("litellm_budget_table").toString());
        assertEquals(known.json(), server.get("/customer/info?end_user_id=e1").json());
        JsonNode nobody = server.get("/end_user/info?end_user_id=nobody").json();
        assertEquals("nobody", nobody.get("user_id").asText());
        assertAmount("0", nobody.get("spend"));
        assertTrue(nobody.get("litellm_budget_table").isNull());
        assertError(server.get("/end_user/info"), 400, "bad_request_error", "end_user_id");
        assertError(server.get("/end_user/info?user_id=e1"), 400, "bad_request_error", "user_id");
        assertError(server.post("/end_user/info?end_user_id=e1", "{}"), 405, "bad_request_error", null);
    }

    private List<String> logIds(String query) {
        Reply reply = server.get("/spend/logs?" + query);
        assertEquals(200, reply.status(), reply::toString);
        return ids(reply.json());
    }

    private static List<String> ids(JsonNode rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.get("request_id").asText()));
        return ids;
    }

    private static void assertRow(JsonNode row, Map<String, String> dimensions, long requests, long prompt,
                                  long completion, long cacheRead, long cacheWrite, String spend) {
        dimensions.forEach((name, value) -> assertEquals(value, row.get(name).asText(), name + " in " + row));
        assertEquals(requests, row.get("api_requests").longValue(), row::toString);
        assertEquals(prompt, row.get("prompt_tokens").longValue(), row::toString);
        assertEquals(completion, row.get("completion_tokens").longValue(), row::toString);
        assertEquals(cacheRead, row.get("cache_read_input_tokens").longValue(), row::toString);
        assertEquals(cacheWrite, row.get("cache_creation_input_tokens").longValue(), row::toString);
        assertEquals(prompt + completion, row.get("total_tokens").longValue(), row::toString);
        assertAmount(spend, row.get("spend"));
    }

    private static SpendLog log(String id, String token, String alias, String user, String team, String endUser,
                                String model, String start, Usage usage, String cost, int status, long ttfb,
                                boolean streamed) {
        Instant startTime = Instant.parse(start);
        return new SpendLog(id, token, alias, user, team, endUser, model,
                model == null ? null : "us.anthropic." + model + "-model", model == null ? "default" : model + "#0",
                model == null ? "ListAsyncInvokes" : "Converse", status, usage, new BigDecimal(cost),
                "0".equals(cost), startTime, startTime.plusMillis(1500), 1500, ttfb, streamed);
    }
}
