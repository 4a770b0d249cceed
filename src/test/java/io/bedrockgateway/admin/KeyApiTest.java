package io.bedrockgateway.admin;

import io.bedrockgateway.keys.BudgetDuration;
import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.admin.AdminApiServer.Reply;
import io.bedrockgateway.keys.KeyHashing;
import io.bedrockgateway.keys.VirtualKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.bedrockgateway.admin.AdminApiServer.MASTER_KEY;
import static io.bedrockgateway.admin.AdminApiServer.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generate, info, update, auth and errors of the key routes, over HTTP against in-memory repositories. */
@Timeout(60)
class KeyApiTest {
    static final List<String> GENERATE_FIELDS = List.of("key", "key_name", "key_alias", "token", "token_id",
            "expires", "duration", "spend", "max_budget", "soft_budget", "budget_duration", "budget_reset_at",
            "models", "user_id", "team_id", "metadata", "tpm_limit", "rpm_limit", "max_parallel_requests", "blocked",
            "created_at", "updated_at");
    static final List<String> INFO_FIELDS = List.of("token", "key_name", "key_alias", "spend", "max_budget",
            "soft_budget", "budget_duration", "budget_reset_at", "expires", "models", "user_id", "team_id",
            "metadata", "tpm_limit", "rpm_limit", "max_parallel_requests", "blocked", "created_at", "updated_at");

    AdminApiServer server;

    /** The repositories to test; override to run these scenarios against another implementation. */
    AdminApiServer.Backend backend() {
        return AdminApiServer.inMemory();
    }

    @BeforeEach
    void start() {
        server = AdminApiServer.start(backend());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void generateReturnsLiteLlmShapeAndStoresOnlyTheHash() {
        Reply reply = server.post("/key/generate", """
                {"key_alias": "ci", "models": ["claude", "cohere.command-r-v1:0"], "max_budget": 10.50,
                 "budget_duration": "30d", "soft_budget": 8, "rpm_limit": 60, "tpm_limit": 100000,
                 "max_parallel_requests": 4, "duration": "7d", "user_id": "u1", "team_id": "t1",
                 "metadata": {"app": "ci"}, "blocked": false}
                """);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("application/json;charset=UTF-8", reply.header("Content-Type"));
        assertEquals("no-store", reply.header("Cache-Control"));
        JsonNode body = reply.json();
        assertEquals(GENERATE_FIELDS, names(body));
        String key = body.get("key").asText();
        assertTrue(key.matches("sk-[A-Za-z0-9_-]{43}"), key);
        String token = KeyHashing.sha256Hex(key);
        assertEquals("sk-..." + key.substring(key.length() - 4), body.get("key_name").asText());
        assertEquals(token, body.get("token").asText());
        assertEquals(token, body.get("token_id").asText());
        assertEquals("ci", body.get("key_alias").asText());
        assertEquals(START.plus(Duration.ofDays(7)).toString(), body.get("expires").asText());
        assertEquals("7d", body.get("duration").asText());
        assertEquals(0, body.get("spend").decimalValue().signum());
        assertEquals(new BigDecimal("10.50"), body.get("max_budget").decimalValue());
        assertEquals(8, body.get("soft_budget").intValue());
        assertEquals("30d", body.get("budget_duration").asText());
        assertEquals(BudgetDuration.nextReset(START, "30d").toString(), body.get("budget_reset_at").asText());
        assertEquals("[\"claude\",\"cohere.command-r-v1:0\"]", body.get("models").toString());
        assertEquals("u1", body.get("user_id").asText());
        assertEquals("t1", body.get("team_id").asText());
        assertEquals("{\"app\":\"ci\"}", body.get("metadata").toString());
        assertEquals(100000, body.get("tpm_limit").intValue());
        assertEquals(60, body.get("rpm_limit").intValue());
        assertEquals(4, body.get("max_parallel_requests").intValue());
        assertFalse(body.get("blocked").booleanValue());
        assertEquals(START.toString(), body.get("created_at").asText());
        assertEquals(START.toString(), body.get("updated_at").asText());

        Map<String, VirtualKey> stored = server.keys.snapshot();
        assertEquals(List.of(token), List.copyOf(stored.keySet()));
        assertFalse(stored.get(token).toString().contains(key), "the secret itself is never stored");
        assertAmount("10.50", stored.get(token).maxBudget());
        assertEquals(List.of(token), server.changedTokens);
    }

    @Test
    void generateWithoutBodyOrWithEmptyObjectGivesAnUnrestrictedKey() {
        for (String body : new String[]{null, "{}", "null"}) {
            Reply reply = server.send("POST", "/key/generate", body, "x-api-key", MASTER_KEY);
            assertEquals(200, reply.status(), reply::toString);
            JsonNode json = reply.json();
            assertEquals(GENERATE_FIELDS, names(json));
            assertTrue(json.get("expires").isNull());
            assertTrue(json.get("max_budget").isNull());
            assertTrue(json.get("budget_reset_at").isNull());
            assertEquals("[]", json.get("models").toString());
            assertEquals("{}", json.get("metadata").toString());
        }
        assertEquals(3, server.keys.snapshot().size());
    }

    @Test
    void generateTakesACallerChosenKeyOnce() {
        Reply reply = server.post("/key/generate", "{\"key\": \"sk-my-own-key-0123456789\"}");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("sk-my-own-key-0123456789", reply.json().get("key").asText());
        assertEquals("sk-...6789", reply.json().get("key_name").asText());
        assertEquals(KeyHashing.sha256Hex("sk-my-own-key-0123456789"), reply.json().get("token").asText());

        int writes = server.keys.writes();
        Reply again = server.post("/key/generate", "{\"key\": \"sk-my-own-key-0123456789\"}");
        assertError(again, 400, "bad_request_error", "key");
        assertTrue(again.message().contains("exists already"), again::toString);
        Reply master = server.post("/key/generate", "{\"key\": \"" + MASTER_KEY + "\"}");
        assertError(master, 400, "bad_request_error", "key");
        assertTrue(master.message().contains("master key"), master::toString);
        assertEquals(writes, server.keys.writes(), "nothing written");
    }

    @Test
    void generatedKeysAreUniqueAndTheirAliasesToo() {
        String first = generate("{\"key_alias\": \"ci\"}").get("key").asText();
        String second = generate("{}").get("key").asText();
        assertNotEquals(first, second);
        int writes = server.keys.writes();
        Reply taken = server.post("/key/generate", "{\"key_alias\": \"ci\", \"max_budget\": 1}");
        assertError(taken, 400, "bad_request_error", "key_alias");
        assertEquals(writes, server.keys.writes(), "nothing written");
        assertEquals(2, server.keys.snapshot().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"key_alias\": 1}|key_alias",
            "{\"models\": \"claude\"}|models",
            "{\"max_budget\": -1}|max_budget",
            "{\"max_budget\": \"10\"}|max_budget",
            "{\"budget_duration\": \"1 month\"}|budget_duration",
            "{\"soft_budget\": -0.5}|soft_budget",
            "{\"max_budget\": 1, \"soft_budget\": 2}|soft_budget",
            "{\"rpm_limit\": 0}|rpm_limit",
            "{\"tpm_limit\": 2.5}|tpm_limit",
            "{\"max_parallel_requests\": -1}|max_parallel_requests",
            "{\"duration\": \"30\"}|duration",
            "{\"user_id\": 7}|user_id",
            "{\"team_id\": false}|team_id",
            "{\"metadata\": [1]}|metadata",
            "{\"blocked\": \"no\"}|blocked",
            "{\"key\": \"sk-123\"}|key",
            "{\"max_budjet\": 10}|max_budjet",
            "{\"tags\": [\"a\"]}|tags",
            "{\"rpm_limit\": 0, \"max_budget\": -1}|rpm_limit"})
    void generateValidationErrorsNameTheFieldAndWriteNothing(String body, String param) {
        Reply reply = server.post("/key/generate", body);
        assertError(reply, 400, "bad_request_error", param);
        assertTrue(reply.message().startsWith(param + " "), reply::toString);
        assertEquals(0, server.keys.writes());
        assertTrue(server.changedTokens.isEmpty());
    }

    @Test
    void malformedBodiesAre400AndOversizedOnes413() {
        for (String body : new String[]{"{", "[]", "\"x\"", "{\"a\": 1} {}", "{\"max_budget\": 1, \"max_budget\": 2}",
                "not json"}) {
            Reply reply = server.post("/key/generate", body);
            assertError(reply, 400, "bad_request_error", null);
        }
        String huge = "{\"metadata\": {\"a\": \"" + "x".repeat(AdminJson.MAX_BODY_BYTES) + "\"}}";
        assertError(server.post("/key/generate", huge), 413, "bad_request_error", null);
        assertEquals(0, server.keys.writes());
    }

    @Test
    void authenticationComesFirstEverywhere() {
        for (String[] route : new String[][]{{"POST", "/key/generate"}, {"GET", "/key/info?key=x"},
                {"GET", "/key/list"}, {"POST", "/key/nope"}, {"GET", "/spend/logs"}, {"GET", "/spend/report"},
                {"GET", "/global/spend/report"}, {"GET", "/end_user/info?end_user_id=u"}}) {
            Reply none = server.send(route[0], route[1], route[0].equals("POST") ? "{}" : null);
            assertError(none, 401, "auth_error", null);
            Reply wrong = server.send(route[0], route[1], route[0].equals("POST") ? "{}" : null,
                    "Authorization", "Bearer sk-not-the-master-key");
            assertError(wrong, 403, "auth_error", null);
        }
        String virtualKey = generate("{}").get("key").asText();
        assertError(server.send("GET", "/key/list", null, "Authorization", "Bearer " + virtualKey),
                403, "auth_error", null);
        assertError(server.send("POST", "/key/generate", "{}", "x-litellm-api-key", virtualKey),
                403, "auth_error", null);
        assertEquals(1, server.keys.snapshot().size(), "refused calls wrote nothing");
    }

    @Test
    void masterKeyIsAcceptedWhereverTheBedrockRoutesAcceptIt() {
        for (String[] header : new String[][]{{"Authorization", "Bearer " + MASTER_KEY}, {"x-api-key", MASTER_KEY},
                {"x-litellm-api-key", "Bearer " + MASTER_KEY}, {"litellm_user_api_key", MASTER_KEY},
                {"Authorization", "AWS4-HMAC-SHA256 Credential=" + MASTER_KEY + "/20250601/us-west-2/bedrock/"
                        + "aws4_request, SignedHeaders=host, Signature=00"}}) {
            assertEquals(200, server.send("GET", "/key/list", null, header).status(), header[0]);
        }
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() {
        assertError(server.get("/key/nope"), 404, "not_found_error", null);
        assertError(server.get("/key/generate/"), 404, "not_found_error", null);
        assertError(server.get("/spend/nope"), 404, "not_found_error", null);
        assertError(server.get("/end_user/nope"), 404, "not_found_error", null);
        assertError(server.get("/key/generate"), 405, "bad_request_error", null);
        assertError(server.post("/key/list", "{}"), 405, "bad_request_error", null);
        assertError(server.send("DELETE", "/key/info?key=x", null, "x-api-key", MASTER_KEY), 405,
                "bad_request_error", null);
        assertError(server.post("/spend/logs", "{}"), 405, "bad_request_error", null);
        assertError(server.post("/key/generate?x=1", "{}"), 400, "bad_request_error", "x");
        assertEquals(0, server.keys.writes());
    }

    @Test
    void infoByKeyOrTokenWithSpend() {
        JsonNode generated = generate("{\"key_alias\": \"ci\", \"max_budget\": 5, \"budget_duration\": \"1d\"}");
        String key = generated.get("key").asText();
        String token = generated.get("token").asText();
        server.keys.addSpend(Map.of(token, new BigDecimal("1.25")));

        Reply byKey = server.get("/key/info?key=" + key);
        assertEquals(200, byKey.status(), byKey::toString);
        assertEquals(List.of("key", "info"), names(byKey.json()));
        assertEquals(key, byKey.json().get("key").asText());
        JsonNode info = byKey.json().get("info");
        assertEquals(INFO_FIELDS, names(info));
        assertEquals(token, info.get("token").asText());
        assertAmount("1.25", info.get("spend"));
        assertEquals("ci", info.get("key_alias").asText());
        assertEquals(BudgetDuration.nextReset(START, "1d").toString(), info.get("budget_reset_at").asText());

        Reply byToken = server.get("/key/info?key=" + token);
        assertEquals(token, byToken.json().get("key").asText());
        assertEquals(info, byToken.json().get("info"));
    }

    @Test
    void infoErrors() {
        assertError(server.get("/key/info"), 400, "bad_request_error", "key");
        assertError(server.get("/key/info?key="), 400, "bad_request_error", "key");
        Reply unknown = server.get("/key/info?key=sk-unknown-key-0123456789");
        assertError(unknown, 404, "not_found_error", "key");
        assertFalse(unknown.message().contains("sk-unknown-key-0123456789"), "keys are masked in messages");
        assertError(server.get("/key/info?key=" + "0".repeat(64)), 404, "not_found_error", "key");
        assertError(server.get("/key/info?key=a&key=b"), 400, "bad_request_error", "key");
        assertError(server.get("/key/info?token=a"), 400, "bad_request_error", "token");
    }

    @Test
    void updateChangesNamedSettingsOnlyAndKeepsSpend() {
        JsonNode generated = generate("""
                {"key_alias": "ci", "models": ["claude"], "max_budget": 10, "soft_budget": 5, "rpm_limit": 10,
                 "user_id": "u1", "metadata": {"a": 1}, "budget_duration": "30d"}""");
        String key = generated.get("key").asText();
        String token = generated.get("token").asText();
        server.keys.addSpend(Map.of(token, new BigDecimal("2.50")));
        server.clock.advance(Duration.ofHours(1));
        Instant now = START.plus(Duration.ofHours(1));
        server.changedTokens.clear();

        Reply reply = server.post("/key/update", "{\"key\": \"" + key + "\", \"max_budget\": 20, \"rpm_limit\": null,"
                + " \"team_id\": \"t9\", \"duration\": \"1h\", \"budget_duration\": \"30d\"}");
        assertEquals(200, reply.status(), reply::toString);
        List<String> expected = new ArrayList<>(List.of("key"));
        expected.addAll(INFO_FIELDS);
        assertEquals(expected, names(reply.json()));
        JsonNode body = reply.json();
        assertEquals(key, body.get("key").asText());
        assertEquals(20, body.get("max_budget").intValue());
        assertTrue(body.get("rpm_limit").isNull());
        assertEquals("t9", body.get("team_id").asText());
        assertEquals(now.plus(Duration.ofHours(1)).toString(), body.get("expires").asText());
        assertAmount("2.50", body.get("spend"));
        assertEquals(BudgetDuration.nextReset(START, "30d").toString(), body.get("budget_reset_at").asText(),
                "the same budget_duration keeps the running period");
        assertEquals("ci", body.get("key_alias").asText());
        assertEquals("[\"claude\"]", body.get("models").toString());
        assertEquals("u1", body.get("user_id").asText());
        assertEquals("{\"a\":1}", body.get("metadata").toString());
        assertEquals(START.toString(), body.get("created_at").asText());
        assertEquals(now.toString(), body.get("updated_at").asText());
        assertEquals(List.of(token), server.changedTokens);

        VirtualKey stored = server.keys.findByHash(token).orElseThrow();
        assertAmount("2.50", stored.spend());
        assertAmount("20", stored.maxBudget());
    }

    @Test
    void changingBudgetDurationStartsANewPeriodAndNullClears() {
        String token = generate("{\"budget_duration\": \"30d\", \"max_budget\": 3, \"key_alias\": \"a\","
                + " \"metadata\": {\"x\": 1}, \"duration\": \"1d\"}").get("token").asText();
        server.clock.advance(Duration.ofDays(2));
        Instant now = START.plus(Duration.ofDays(2));
        Reply changed = server.post("/key/update", "{\"key\": \"" + token + "\", \"budget_duration\": \"1h\"}");
        assertEquals(200, changed.status(), changed::toString);
        assertEquals(BudgetDuration.nextReset(now, "1h").toString(), changed.json().get("budget_reset_at").asText());

        Reply cleared = server.post("/key/update", "{\"key\": \"" + token + "\", \"budget_duration\": null,"
                + " \"max_budget\": null, \"key_alias\": null, \"metadata\": null, \"duration\": null,"
                + " \"models\": null}");
        assertEquals(200, cleared.status(), cleared::toString);
        JsonNode body = cleared.json();
        assertTrue(body.get("budget_duration").isNull());
        assertTrue(body.get("budget_reset_at").isNull());
        assertTrue(body.get("max_budget").isNull());
        assertTrue(body.get("key_alias").isNull());
        assertTrue(body.get("expires").isNull());
        assertEquals("{}", body.get("metadata").toString());
        assertEquals("[]", body.get("models").toString());
        assertTrue(server.keys.findByAlias("a").isEmpty());
    }

    @Test
    void updateErrorsWriteNothing() {
        String token = generate("{\"key_alias\": \"mine\", \"max_budget\": 10, \"soft_budget\": 4}")
                .get("token").asText();
        generate("{\"key_alias\": \"other\"}");
        Map<String, VirtualKey> before = server.keys.snapshot();
        int writes = server.keys.writes();
        server.changedTokens.clear();

        assertError(server.post("/key/update", "{\"max_budget\": 1}"), 400, "bad_request_error", "key");
        assertError(server.post("/key/update", "{\"key\": \"" + token + "\", \"max_budget\": -1}"), 400,
                "bad_request_error", "max_budget");
        assertError(server.post("/key/update", "{\"key\": \"" + token + "\", \"soft_budget\": 11}"), 400,
                "bad_request_error", "soft_budget");
        assertError(server.post("/key/update", "{\"key\": \"" + token + "\", \"max_budget\": 3}"), 400,
                "bad_request_error", "max_budget");
        assertError(server.post("/key/update", "{\"key\": \"" + token + "\", \"key_alias\": \"other\"}"), 400,
                "bad_request_error", "key_alias");
        assertError(server.post("/key/update", "{\"key\": \"" + token + "\", \"budget_duration\": \"2w\"}"), 400,
                "bad_request_error", "budget_duration");
        assertError(server.post("/key/update", "{\"key\": \"" + token + "\", \"spend\": 0.5}"), 400,
                "bad_request_error", "spend");
        assertError(server.post("/key/update", "{\"key\": \"sk-unknown-key-000001\", \"max_budget\": 1}"), 404,
                "not_found_error", "key");
        assertEquals(writes, server.keys.writes());
        assertEquals(before, server.keys.snapshot());
        assertTrue(server.changedTokens.isEmpty());

        Reply ownAlias = server.post("/key/update", "{\"key\": \"" + token + "\", \"key_alias\": \"mine\"}");
        assertEquals(200, ownAlias.status(), "a key keeps its own alias");
    }

    static JsonNode generateOn(AdminApiServer server, String body) {
        Reply reply = server.post("/key/generate", body);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private JsonNode generate(String body) {
        return generateOn(server, body);
    }

    static void assertError(Reply reply, int status, String type, String param) {
        assertEquals(status, reply.status(), reply::toString);
        assertEquals("application/json;charset=UTF-8", reply.header("Content-Type"));
        assertEquals(List.of("error"), names(reply.json()));
        JsonNode error = reply.json().get("error");
        assertEquals(List.of("message", "type", "param", "code"), names(error));
        assertEquals(type, error.get("type").asText(), reply::toString);
        assertEquals(Integer.toString(status), error.get("code").asText());
        assertEquals(param, reply.param(), reply::toString);
        assertFalse(error.get("message").asText().isBlank());
    }

    /** Amounts compare by value: a database may give them another scale. */
    static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> expected + " != " + actual);
    }

    static void assertAmount(String expected, JsonNode actual) {
        assertTrue(actual.isNumber(), () -> "not a number: " + actual);
        assertAmount(expected, actual.decimalValue());
    }

    static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
