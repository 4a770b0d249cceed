package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.admin.AdminApiServer.Reply;
import io.bedrockgateway.keys.KeyHashing;
import io.bedrockgateway.keys.VirtualKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.bedrockgateway.admin.AdminApiServer.MASTER_KEY;
import static io.bedrockgateway.admin.KeyApiTest.GENERATE_FIELDS;
import static io.bedrockgateway.admin.KeyApiTest.INFO_FIELDS;
import static io.bedrockgateway.admin.KeyApiTest.assertAmount;
import static io.bedrockgateway.admin.KeyApiTest.assertError;
import static io.bedrockgateway.admin.KeyApiTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delete, list, regenerate, block and unblock, over HTTP against in-memory repositories. */
@Timeout(60)
class KeyLifecycleApiTest {
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
    void deleteByKeyTokenAndAlias() {
        JsonNode a = generate("{}");
        JsonNode b = generate("{}");
        JsonNode c = generate("{\"key_alias\": \"c\"}");
        JsonNode d = generate("{}");
        server.changedTokens.clear();
        String body = "{\"keys\": [\"" + a.get("key").asText() + "\", \"" + b.get("token").asText() + "\"],"
                + " \"key_aliases\": [\"c\"]}";
        Reply reply = server.post("/key/delete", body);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("{\"deleted_keys\":[\"" + a.get("key").asText() + "\",\"" + b.get("token").asText()
                + "\",\"c\"]}", reply.json().toString());
        assertEquals(Set.of(d.get("token").asText()), server.keys.snapshot().keySet());
        assertEquals(List.of(a.get("token").asText(), b.get("token").asText(), c.get("token").asText()),
                server.changedTokens);
        assertError(server.get("/key/info?key=" + a.get("key").asText()), 404, "not_found_error", "key");
    }

    @Test
    void deleteWithAnyUnknownKeyDeletesNothing() {
        JsonNode a = generate("{\"key_alias\": \"a\"}");
        int writes = server.keys.writes();
        server.changedTokens.clear();
        Reply unknownKey = server.post("/key/delete", "{\"keys\": [\"" + a.get("key").asText()
                + "\", \"sk-unknown-key-00000001\", \"" + "f".repeat(64) + "\"]}");
        assertError(unknownKey, 404, "not_found_error", "keys");
        assertTrue(unknownKey.message().contains("sk-...0001"), unknownKey::toString);
        assertTrue(unknownKey.message().contains("f".repeat(64)), unknownKey::toString);
        assertFalse(unknownKey.message().contains("sk-unknown-key"), "keys are masked");
        assertFalse(unknownKey.message().contains(a.get("key").asText()), "found keys are not listed");

        Reply unknownAlias = server.post("/key/delete", "{\"keys\": [\"" + a.get("token").asText()
                + "\"], \"key_aliases\": [\"nope\"]}");
        assertError(unknownAlias, 404, "not_found_error", "key_aliases");
        assertTrue(unknownAlias.message().contains("nope"));

        assertError(server.post("/key/delete", "{}"), 400, "bad_request_error", "keys");
        assertError(server.post("/key/delete", "{\"keys\": []}"), 400, "bad_request_error", "keys");
        assertError(server.post("/key/delete", "{\"keys\": \"x\"}"), 400, "bad_request_error", "keys");
        assertError(server.post("/key/delete", "{\"keys\": [1]}"), 400, "bad_request_error", "keys");
        assertError(server.post("/key/delete", "{\"key_aliases\": [\"\"]}"), 400, "bad_request_error",
                "key_aliases");
        assertError(server.post("/key/delete", "{\"key\": \"x\"}"), 400, "bad_request_error", "key");
        assertEquals(writes, server.keys.writes(), "nothing written");
        assertEquals(1, server.keys.snapshot().size());
        assertTrue(server.changedTokens.isEmpty());
    }

    @Test
    void listPagesNewestFirstWithFiltersAndFullObjects() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            server.clock.advance(Duration.ofSeconds(1));
            tokens.add(generate("{\"key_alias\": \"k" + i + "\", \"user_id\": \"u" + (i % 2) + "\", \"team_id\": \"t"
                    + (i % 5) + "\"}").get("token").asText());
        }
        List<String> newestFirst = new ArrayList<>(tokens);
        java.util.Collections.reverse(newestFirst);

        Reply first = server.get("/key/list");
        assertEquals(200, first.status(), first::toString);
        assertEquals(List.of("keys", "total_count", "current_page", "total_pages"), names(first.json()));
        assertEquals(newestFirst.subList(0, 10), strings(first.json().get("keys")));
        assertEquals(25, first.json().get("total_count").intValue());
        assertEquals(1, first.json().get("current_page").intValue());
        assertEquals(3, first.json().get("total_pages").intValue());

        Reply last = server.get("/key/list?page=3&size=10");
        assertEquals(newestFirst.subList(20, 25), strings(last.json().get("keys")));
        assertEquals(3, last.json().get("current_page").intValue());
        Reply beyond = server.get("/key/list?page=4&size=10");
        assertEquals(0, beyond.json().get("keys").size());
        assertEquals(25, beyond.json().get("total_count").intValue());
        assertEquals(1, server.get("/key/list?size=100").json().get("total_pages").intValue());

        Reply user = server.get("/key/list?user_id=u1&size=5&page=2");
        assertEquals(12, user.json().get("total_count").intValue());
        assertEquals(3, user.json().get("total_pages").intValue());
        List<String> userTokens = newestFirst.stream().filter(t -> tokens.indexOf(t) % 2 == 1).toList();
        assertEquals(userTokens.subList(5, 10), strings(user.json().get("keys")));
        Reply team = server.get("/key/list?team_id=t3&user_id=u1");
        assertEquals(List.of(tokens.get(23), tokens.get(13), tokens.get(3)), strings(team.json().get("keys")));
        Reply alias = server.get("/key/list?key_alias=k7&return_full_object=true");
        assertEquals(1, alias.json().get("total_count").intValue());
        JsonNode object = alias.json().get("keys").get(0);
        assertEquals(INFO_FIELDS, names(object));
        assertEquals(tokens.get(7), object.get("token").asText());
        assertEquals("k7", object.get("key_alias").asText());
        Reply none = server.get("/key/list?team_id=nobody&include_team_keys=false");
        assertEquals("{\"keys\":[],\"total_count\":0,\"current_page\":1,\"total_pages\":0}", none.json().toString());
    }

    @Test
    void listRejectsBadParameters() {
        assertError(server.get("/key/list?page=0"), 400, "bad_request_error", "page");
        assertError(server.get("/key/list?page=x"), 400, "bad_request_error", "page");
        assertError(server.get("/key/list?size=0"), 400, "bad_request_error", "size");
        assertError(server.get("/key/list?size=101"), 400, "bad_request_error", "size");
        assertError(server.get("/key/list?return_full_object=yes"), 400, "bad_request_error", "return_full_object");
        assertError(server.get("/key/list?user=u1"), 400, "bad_request_error", "user");
        assertError(server.get("/key/list?size=1&size=2"), 400, "bad_request_error", "size");
        assertError(server.get("/key/list?page=2147483647&size=100"), 400, "bad_request_error", "page");
    }

    @Test
    void regenerateKeepsSettingsAndSpendAndRetiresTheOldKey() {
        JsonNode old = generate("{\"key_alias\": \"ci\", \"max_budget\": 10, \"models\": [\"claude\"],"
                + " \"budget_duration\": \"30d\", \"user_id\": \"u1\"}");
        String oldKey = old.get("key").asText();
        String oldToken = old.get("token").asText();
        server.keys.addSpend(Map.of(oldToken, new BigDecimal("3.75")));
        VirtualKey before = server.keys.findByHash(oldToken).orElseThrow();
        server.changedTokens.clear();

        Reply reply = server.post("/key/regenerate", "{\"key\": \"" + oldKey + "\"}");
        assertEquals(200, reply.status(), reply::toString);
        JsonNode body = reply.json();
        assertEquals(GENERATE_FIELDS, names(body));
        String newKey = body.get("key").asText();
        String newToken = KeyHashing.sha256Hex(newKey);
        assertNotEquals(oldKey, newKey);
        assertEquals(newToken, body.get("token").asText());
        assertEquals(KeyHashing.maskedName(newKey), body.get("key_name").asText());
        assertAmount("3.75", body.get("spend"));
        assertEquals("ci", body.get("key_alias").asText());
        assertEquals("[\"claude\"]", body.get("models").toString());
        assertEquals(before.budgetResetAt().toString(), body.get("budget_reset_at").asText());

        assertTrue(server.keys.findByHash(oldToken).isEmpty(), "old hash gone");
        assertEquals(Set.of(newToken), server.keys.snapshot().keySet());
        assertError(server.get("/key/info?key=" + oldKey), 404, "not_found_error", "key");
        Reply info = server.get("/key/info?key=" + newKey);
        assertEquals(200, info.status());
        assertAmount("3.75", info.json().get("info").get("spend"));
        assertEquals(List.of(oldToken, newToken), server.changedTokens);
        VirtualKey after = server.keys.findByHash(newToken).orElseThrow();
        assertEquals(before.maxBudget(), after.maxBudget());
        assertEquals(before.createdAt(), after.createdAt());
    }

    @Test
    void regenerateByPathOrQueryWithNewKeyAndSettings() {
        JsonNode first = generate("{\"max_budget\": 10, \"soft_budget\": 2}");
        Reply byPath = server.post("/key/" + first.get("key").asText() + "/regenerate",
                "{\"new_key\": \"sk-chosen-new-key-0001\", \"max_budget\": 20, \"duration\": \"1h\"}");
        assertEquals(200, byPath.status(), byPath::toString);
        assertEquals("sk-chosen-new-key-0001", byPath.json().get("key").asText());
        assertEquals(20, byPath.json().get("max_budget").intValue());
        assertEquals("1h", byPath.json().get("duration").asText());
        assertEquals(AdminApiServer.START.plus(Duration.ofHours(1)).toString(),
                byPath.json().get("expires").asText());

        String token = byPath.json().get("token").asText();
        Reply byTokenPath = server.send("POST", "/key/" + token + "/regenerate", null, "x-api-key", MASTER_KEY);
        assertEquals(200, byTokenPath.status(), byTokenPath::toString);
        String third = byTokenPath.json().get("key").asText();

        Reply sameKeyTwice = server.post("/key/" + third + "/regenerate",
                "{\"key\": \"" + KeyHashing.sha256Hex(third) + "\"}");
        assertEquals(200, sameKeyTwice.status(), "the key and its token name the same key");
        third = sameKeyTwice.json().get("key").asText();

        Reply byQuery = server.post("/key/regenerate?key=" + third, "");
        assertEquals(200, byQuery.status(), byQuery::toString);
        assertEquals(1, server.keys.snapshot().size());
        assertAmount("20", server.keys.snapshot().values().iterator().next().maxBudget());
    }

    @Test
    void regenerateErrorsWriteNothing() {
        JsonNode a = generate("{\"max_budget\": 5, \"soft_budget\": 1, \"key_alias\": \"a\"}");
        JsonNode b = generate("{\"key_alias\": \"b\"}");
        String aKey = a.get("key").asText();
        int writes = server.keys.writes();
        Map<String, VirtualKey> before = server.keys.snapshot();
        server.changedTokens.clear();

        assertError(server.post("/key/regenerate", "{}"), 400, "bad_request_error", "key");
        assertError(server.post("/key/regenerate", "{\"key\": \"sk-unknown-key-00000001\"}"), 404,
                "not_found_error", "key");
        assertError(server.post("/key/" + aKey + "/regenerate", "{\"key\": \"" + b.get("key").asText() + "\"}"),
                400, "bad_request_error", "key");
        assertError(server.post("/key/" + aKey + "/regenerate?key=" + b.get("token").asText(), "{}"),
                400, "bad_request_error", "key");
        assertError(server.post("/key/regenerate", "{\"key\": \"" + aKey + "\", \"new_key\": \""
                + b.get("key").asText() + "\"}"), 400, "bad_request_error", "new_key");
        assertError(server.post("/key/regenerate", "{\"key\": \"" + aKey + "\", \"new_key\": \"" + aKey + "\"}"),
                400, "bad_request_error", "new_key");
        assertError(server.post("/key/regenerate", "{\"key\": \"" + aKey + "\", \"new_key\": \"" + MASTER_KEY
                + "\"}"), 400, "bad_request_error", "new_key");
        assertError(server.post("/key/regenerate", "{\"key\": \"" + aKey + "\", \"new_key\": \"short\"}"), 400,
                "bad_request_error", "new_key");
        assertError(server.post("/key/regenerate", "{\"key\": \"" + aKey + "\", \"max_budget\": 0.5}"), 400,
                "bad_request_error", "max_budget");
        assertError(server.post("/key/regenerate", "{\"key\": \"" + aKey + "\", \"key_alias\": \"b\"}"), 400,
                "bad_request_error", "key_alias");
        assertError(server.post("/key/regenerate", "{\"key\": \"" + aKey + "\", \"grace_period\": \"1d\"}"), 400,
                "bad_request_error", "grace_period");
        assertError(server.post("/key/regenerate?key=x&other=1", "{}"), 400, "bad_request_error", "other");
        assertEquals(writes, server.keys.writes());
        assertEquals(before, server.keys.snapshot());
        assertTrue(server.changedTokens.isEmpty());
    }

    @Test
    void blockAndUnblock() {
        JsonNode generated = generate("{\"key_alias\": \"ci\"}");
        String key = generated.get("key").asText();
        String token = generated.get("token").asText();
        server.changedTokens.clear();
        server.clock.advance(Duration.ofMinutes(5));

        Reply blocked = server.post("/key/block", "{\"key\": \"" + key + "\"}");
        assertEquals(200, blocked.status(), blocked::toString);
        assertEquals(INFO_FIELDS, names(blocked.json()));
        assertTrue(blocked.json().get("blocked").booleanValue());
        assertEquals(AdminApiServer.START.plus(Duration.ofMinutes(5)).toString(),
                blocked.json().get("updated_at").asText());
        assertTrue(server.keys.findByHash(token).orElseThrow().blocked());
        assertTrue(server.get("/key/info?key=" + token).json().get("info").get("blocked").booleanValue());
        assertEquals(List.of(token), server.changedTokens);

        int writes = server.keys.writes();
        assertTrue(server.post("/key/block", "{\"key\": \"" + token + "\"}").json().get("blocked").booleanValue());
        assertEquals(writes, server.keys.writes(), "blocking a blocked key writes nothing");

        Reply unblocked = server.post("/key/unblock", "{\"key\": \"" + token + "\"}");
        assertEquals(200, unblocked.status(), unblocked::toString);
        assertFalse(unblocked.json().get("blocked").booleanValue());
        assertFalse(server.keys.findByHash(token).orElseThrow().blocked());
        assertEquals("ci", server.keys.findByHash(token).orElseThrow().keyAlias(), "other settings unchanged");

        writes = server.keys.writes();
        assertError(server.post("/key/block", "{\"key\": \"sk-unknown-key-00000001\"}"), 404, "not_found_error",
                "key");
        assertError(server.post("/key/block", "{}"), 400, "bad_request_error", "key");
        assertError(server.post("/key/unblock", "{\"key\": 5}"), 400, "bad_request_error", "key");
        assertError(server.post("/key/block", "{\"key\": \"" + key + "\", \"blocked\": true}"), 400,
                "bad_request_error", "blocked");
        assertEquals(writes, server.keys.writes());
    }

    private JsonNode generate(String body) {
        return KeyApiTest.generateOn(server, body);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
