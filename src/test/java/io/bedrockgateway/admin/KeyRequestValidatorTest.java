package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.admin.KeyRequestValidator.FieldError;
import io.bedrockgateway.admin.KeyRequestValidator.Kind;
import io.bedrockgateway.admin.KeyRequestValidator.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRequestValidatorTest {

    static Stream<Arguments> invalidGenerateBodies() {
        return Stream.of(
                // key_alias, user_id, team_id: strings without blanks around, not empty, not too long
                bad("{\"key_alias\": 5}", "key_alias", "must be a string"),
                bad("{\"key_alias\": \"\"}", "key_alias", "must not be empty"),
                bad("{\"key_alias\": \" ci\"}", "key_alias", "blanks"),
                bad("{\"key_alias\": \"a\\u0001b\"}", "key_alias", "control"),
                bad("{\"key_alias\": \"" + "a".repeat(256) + "\"}", "key_alias", "longer than 255"),
                bad("{\"user_id\": true}", "user_id", "must be a string"),
                bad("{\"user_id\": \"   \"}", "user_id", "must not be empty"),
                bad("{\"team_id\": [\"t\"]}", "team_id", "must be a string"),
                bad("{\"team_id\": {}}", "team_id", "must be a string"),
                // models
                bad("{\"models\": \"claude\"}", "models", "must be an array"),
                bad("{\"models\": [1]}", "models", "[0] must be a string"),
                bad("{\"models\": [\"a\", \"\"]}", "models", "[1] must not be empty"),
                bad("{\"models\": [\"no-default-models\"]}", "models", "not supported"),
                bad("{\"models\": {}}", "models", "must be an array"),
                // budgets
                bad("{\"max_budget\": \"10\"}", "max_budget", "must be a number"),
                bad("{\"max_budget\": -0.01}", "max_budget", "0 or more"),
                bad("{\"max_budget\": 1e13}", "max_budget", "must not be more than"),
                bad("{\"max_budget\": true}", "max_budget", "must be a number"),
                bad("{\"soft_budget\": \"1\"}", "soft_budget", "must be a number"),
                bad("{\"soft_budget\": -1}", "soft_budget", "0 or more"),
                bad("{\"max_budget\": 5, \"soft_budget\": 6}", "soft_budget", "must not be more than max_budget"),
                // durations
                bad("{\"budget_duration\": 30}", "budget_duration", "must be a string"),
                bad("{\"budget_duration\": \"30\"}", "budget_duration", "unit"),
                bad("{\"budget_duration\": \"1w\"}", "budget_duration", "unit"),
                bad("{\"budget_duration\": \"30 d\"}", "budget_duration", "unit"),
                bad("{\"budget_duration\": \"-1d\"}", "budget_duration", "unit"),
                bad("{\"budget_duration\": \"1.5h\"}", "budget_duration", "unit"),
                bad("{\"budget_duration\": \"0d\"}", "budget_duration", "longer than zero"),
                bad("{\"budget_duration\": \"1201mo\"}", "budget_duration", "100 years"),
                bad("{\"budget_duration\": \"1D\"}", "budget_duration", "unit"),
                bad("{\"duration\": \"forever\"}", "duration", "unit"),
                bad("{\"duration\": 7}", "duration", "must be a string"),
                bad("{\"duration\": \"36526d\"}", "duration", "100 years"),
                // limits: positive whole numbers
                bad("{\"rpm_limit\": 0}", "rpm_limit", "between 1 and"),
                bad("{\"rpm_limit\": -5}", "rpm_limit", "between 1 and"),
                bad("{\"rpm_limit\": 1.5}", "rpm_limit", "whole number"),
                bad("{\"rpm_limit\": \"100\"}", "rpm_limit", "whole number"),
                bad("{\"rpm_limit\": 99999999999999999999}", "rpm_limit", "between 1 and"),
                bad("{\"tpm_limit\": 0}", "tpm_limit", "between 1 and"),
                bad("{\"tpm_limit\": 10.0}", "tpm_limit", "whole number"),
                bad("{\"max_parallel_requests\": 0}", "max_parallel_requests", "between 1 and"),
                bad("{\"max_parallel_requests\": 2147483648}", "max_parallel_requests", "between 1 and 2147483647"),
                bad("{\"max_parallel_requests\": \"2\"}", "max_parallel_requests", "whole number"),
                // metadata
                bad("{\"metadata\": []}", "metadata", "must be a JSON object"),
                bad("{\"metadata\": \"x\"}", "metadata", "must be a JSON object"),
                bad("{\"metadata\": {\"a\": null}}", "metadata.a", "must not be null"),
                bad("{\"metadata\": {\"a\": \"" + "x".repeat(70_000) + "\"}}", "metadata", "larger than"),
                // blocked
                bad("{\"blocked\": \"true\"}", "blocked", "true or false"),
                bad("{\"blocked\": 1}", "blocked", "true or false"),
                // caller-chosen key
                bad("{\"key\": 123}", "key", "must be a string"),
                bad("{\"key\": \"pk-0123456789abcdef\"}", "key", "must start with sk-"),
                bad("{\"key\": \"sk-short\"}", "key", "16 to 256"),
                bad("{\"key\": \"sk-" + "a".repeat(254) + "\"}", "key", "16 to 256"),
                bad("{\"key\": \"sk-has a space in it\"}", "key", "may contain only"),
                bad("{\"key\": \"sk-slash/not/allowed\"}", "key", "may contain only"),
                bad("{\"key\": \"sk-plus+is+a+space\"}", "key", "may contain only"),
                // unknown and unsupported fields
                bad("{\"max_budjet\": 10}", "max_budjet", "not a known field"),
                bad("{\"rpm\": 10}", "rpm", "not a known field"),
                bad("{\"new_key\": \"sk-0123456789abcdef\"}", "new_key", "not a known field"),
                bad("{\"tags\": [\"prod\"]}", "tags", "does not implement"),
                bad("{\"model_max_budget\": {\"claude\": 1}}", "model_max_budget", "does not implement"),
                bad("{\"spend\": 5}", "spend", "does not implement"),
                bad("{\"send_invite_email\": true}", "send_invite_email", "does not implement"),
                bad("{\"key_type\": \"management\"}", "key_type", "does not implement"));
    }

    private static Arguments bad(String json, String param, String fragment) {
        return Arguments.of(json, param, fragment);
    }

    @ParameterizedTest
    @MethodSource("invalidGenerateBodies")
    void rejectsAndNamesTheField(String json, String param, String fragment) {
        Result result = validate(Kind.GENERATE, json);
        assertFalse(result.valid(), json);
        assertNull(result.command());
        assertEquals(1, result.errors().size(), result.errors().toString());
        FieldError error = result.errors().get(0);
        assertEquals(param, error.param(), json);
        assertTrue(error.message().contains(fragment), error.message());
    }

    @ParameterizedTest
    @MethodSource("invalidGenerateBodies")
    void updateAppliesTheSameRules(String json, String param, String fragment) {
        if ("key".equals(param)) {
            return; // update's key names the key to change: its own rules, tested below
        }
        String withKey = "{\"key\": \"sk-existing-key-0001\", " + json.substring(1);
        Result result = validate(Kind.UPDATE, withKey);
        FieldError error = result.errors().get(0);
        assertEquals("new_key".equals(param) ? "new_key" : param, error.param(), withKey);
    }

    @Test
    void acceptsEveryFieldWithTheDocumentedTypes() {
        Result result = validate(Kind.GENERATE, """
                {"key_alias": "ci", "models": ["claude", "cohere.command-r-v1:0", "claude"], "max_budget": 10.50,
                 "budget_duration": "30d", "soft_budget": 8, "rpm_limit": 60, "tpm_limit": 100000,
                 "max_parallel_requests": 4, "duration": "1mo", "user_id": "u1", "team_id": "t1",
                 "metadata": {"app": "ci", "n": 1.25, "nested": {"x": null}}, "blocked": true,
                 "key": "sk-my-own-key-0123456789"}
                """);
        assertTrue(result.valid(), result.errors().toString());
        KeyCommand c = result.command();
        assertEquals("sk-my-own-key-0123456789", c.key());
        assertEquals(EnumSet.allOf(KeyField.class), EnumSet.copyOf(c.present()));
        assertEquals("ci", c.keyAlias());
        assertEquals(List.of("claude", "cohere.command-r-v1:0"), c.models(), "duplicates removed, order kept");
        assertEquals(new BigDecimal("10.50"), c.maxBudget());
        assertEquals("30d", c.budgetDuration());
        assertEquals(0, new BigDecimal("8").compareTo(c.softBudget()));
        assertEquals(60L, c.rpmLimit());
        assertEquals(100000L, c.tpmLimit());
        assertEquals(4, c.maxParallelRequests());
        assertEquals("1mo", c.duration());
        assertEquals("u1", c.userId());
        assertEquals("t1", c.teamId());
        assertEquals(new BigDecimal("1.25"), c.metadata().get("n"));
        assertTrue(((Map<?, ?>) c.metadata().get("nested")).containsKey("x"), "nested nulls are kept");
        assertTrue(c.blocked());
        assertFalse(c.toString().contains("sk-my-own"), "toString hides keys");
    }

    @Test
    void emptyBodyIsAllDefaults() {
        Result result = validate(Kind.GENERATE, "{}");
        assertTrue(result.valid());
        assertTrue(result.command().present().isEmpty());
        assertNull(result.command().key());
        assertEquals(List.of(), result.command().models());
        assertEquals(Map.of(), result.command().metadata());
        assertFalse(result.command().blocked());
    }

    @Test
    void nullsAreAcceptedAndMeanClear() {
        Result result = validate(Kind.UPDATE, """
                {"key": "sk-existing-key-0001", "key_alias": null, "models": null, "max_budget": null,
                 "budget_duration": null, "soft_budget": null, "rpm_limit": null, "tpm_limit": null,
                 "max_parallel_requests": null, "duration": null, "user_id": null, "team_id": null,
                 "metadata": null, "blocked": null}
                """);
        assertTrue(result.valid(), result.errors().toString());
        KeyCommand c = result.command();
        assertEquals(EnumSet.allOf(KeyField.class), EnumSet.copyOf(c.present()));
        assertNull(c.keyAlias());
        assertNull(c.maxBudget());
        assertEquals(List.of(), c.models());
        assertEquals(Map.of(), c.metadata());
        assertFalse(c.blocked());
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "15m", "1h", "7d", "30d", "1mo", "12mo", "36525d", "1200mo"})
    void documentedDurationsAreValid(String duration) {
        assertTrue(validate(Kind.GENERATE, "{\"budget_duration\": \"" + duration + "\", \"duration\": \""
                + duration + "\"}").valid(), duration);
    }

    @Test
    void litellmFieldsWithNeutralValuesAreAccepted() {
        Result result = validate(Kind.GENERATE, """
                {"aliases": {}, "config": {}, "permissions": {}, "model_max_budget": {}, "tags": [],
                 "guardrails": null, "spend": 0, "send_invite_email": false, "key_type": "default",
                 "organization_id": null, "allowed_cache_controls": [], "budget_id": ""}
                """);
        assertTrue(result.valid(), result.errors().toString());
        assertTrue(result.command().present().isEmpty());
    }

    @Test
    void allProxyModelsMeansAllModels() {
        assertEquals(List.of(), validate(Kind.GENERATE, "{\"models\": [\"claude\", \"all-proxy-models\"]}")
                .command().models());
    }

    @Test
    void reportsEveryErrorInBodyOrder() {
        Result result = validate(Kind.GENERATE,
                "{\"max_budget\": -1, \"typo\": 1, \"rpm_limit\": 0, \"duration\": \"1 day\"}");
        assertEquals(List.of("max_budget", "typo", "rpm_limit", "duration"),
                result.errors().stream().map(FieldError::param).toList());
    }

    @Test
    void updateNeedsTheKeyAndTakesAnyReference() {
        Result missing = validate(Kind.UPDATE, "{\"max_budget\": 1}");
        assertEquals("key", missing.errors().get(0).param());
        assertTrue(missing.errors().get(0).message().contains("required"));
        assertEquals("key", validate(Kind.UPDATE, "{\"key\": 5}").errors().get(0).param());
        assertEquals("key", validate(Kind.UPDATE, "{\"key\": \"\"}").errors().get(0).param());
        assertEquals(1, validate(Kind.UPDATE, "{\"key\": null}").errors().size(), "one error, not two");
        String token = "a".repeat(64);
        assertEquals(token, validate(Kind.UPDATE, "{\"key\": \"" + token + "\"}").command().key());
    }

    @Test
    void regenerateTakesAnOptionalKeyAndNewKey() {
        Result none = validate(Kind.REGENERATE, "{}");
        assertTrue(none.valid());
        assertNull(none.command().key());
        Result both = validate(Kind.REGENERATE,
                "{\"key\": \"sk-old-key-000000001\", \"new_key\": \"sk-new-key-000000001\", \"max_budget\": 3}");
        assertTrue(both.valid(), both.errors().toString());
        assertEquals("sk-new-key-000000001", both.command().newKey());
        assertTrue(both.command().changesSettings());
        assertEquals("new_key", validate(Kind.REGENERATE, "{\"new_key\": \"sk-x\"}").errors().get(0).param());
        assertEquals("new_key", validate(Kind.REGENERATE, "{\"new_key\": 1}").errors().get(0).param());
        assertEquals("new_master_key",
                validate(Kind.REGENERATE, "{\"new_master_key\": \"sk-0123456789abcdef\"}").errors().get(0).param());
        assertEquals("grace_period", validate(Kind.REGENERATE, "{\"grace_period\": \"1h\"}").errors().get(0).param());
    }

    @Test
    void spendCanOnlyBeZeroOnGenerate() {
        assertTrue(validate(Kind.GENERATE, "{\"spend\": 0}").valid());
        for (Kind kind : new Kind[]{Kind.UPDATE, Kind.REGENERATE}) {
            Result result = validate(kind, "{\"key\": \"sk-existing-key-0001\", \"spend\": 0}");
            assertEquals("spend", result.errors().get(0).param(), kind.toString());
        }
    }

    @Test
    void nonObjectBodyIsRejected() {
        Result result = KeyRequestValidator.validate(Kind.GENERATE, AdminJson.MAPPER.createArrayNode());
        assertNull(result.errors().get(0).param());
    }

    @Test
    void budgetsCheckCompares() {
        assertTrue(KeyRequestValidator.checkBudgets(new BigDecimal("5"), new BigDecimal("5.00")).isEmpty());
        assertTrue(KeyRequestValidator.checkBudgets(null, new BigDecimal("5")).isEmpty());
        assertEquals("soft_budget", KeyRequestValidator.checkBudgets(BigDecimal.ONE, BigDecimal.TEN).get(0).param());
    }

    private static Result validate(Kind kind, String json) {
        try {
            JsonNode body = AdminJson.MAPPER.readTree(json);
            return KeyRequestValidator.validate(kind, body);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
