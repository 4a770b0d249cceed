package io.bedrockgateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.RawHttp;
import io.bedrockgateway.fake.RequestMatcher;
import io.bedrockgateway.keys.KeyHashing;
import io.bedrockgateway.keys.jpa.Database;
import io.bedrockgateway.keys.jpa.DatabaseSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys, spend and budgets end to end, with the real SDK clients and the fake Bedrock; run once per database by the
 * subclasses. Prices: Claude 3.5 Sonnet at $3 / $15 / $0.30 / $3.75 per million input / output / cache-read /
 * cache-write tokens (the bundled table), and the fake's usage of 1200 / 345 / 100 / 50 tokens per call.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class GovernanceScenarios {
    /** One full call: 1200*3e-6 + 345*15e-6 + 100*0.3e-6 + 50*3.75e-6. */
    static final BigDecimal CALL = new BigDecimal("0.0089925");
    /** An invoke stream cut after message_start: 1200 in, 1 out, and the cache tokens. */
    static final BigDecimal CUT_AFTER_START = new BigDecimal("0.0038325");
    static final String BODY = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    static GatewayFixture fixture;
    static AdminClient admin;

    /** Starts the fixture with the database settings of the subclass (general_settings lines). */
    static void startWith(String generalSettings) throws Exception {
        fixture = GatewayFixture.start(endpoint -> "", generalSettings
                + "\n  end_user_budgets: {capped-user: 0.01}");
        admin = new AdminClient(fixture.gateway.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void reset() {
        fixture.fake.clearFaults();
        fixture.fake.clearRequests();
    }

    static Message hi() {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build();
    }

    static BigDecimal times(int n) {
        return CALL.multiply(BigDecimal.valueOf(n));
    }

    @Test
    void spendIsExactForEachModelRoute() throws Exception {
        String key = admin.generate("{\"key_alias\": \"exact-" + System.nanoTime() + "\"}");
        try (BedrockRuntimeClient runtime = fixture.runtime(key);
             BedrockRuntimeAsyncClient async = fixture.runtimeAsync(key, Protocol.HTTP2)) {
            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
            assertEquals(0, CALL.compareTo(admin.awaitSpend(key, CALL)), "converse");

            async.converseStream(r -> r.modelId("my-claude").messages(hi()), ConverseStreamResponseHandler.builder()
                    .subscriber(ConverseStreamResponseHandler.Visitor.builder().build()).build())
                    .get(30, TimeUnit.SECONDS);
            assertEquals(0, times(2).compareTo(admin.awaitSpend(key, times(2))), "converse-stream");

            runtime.invokeModel(r -> r.modelId("my-claude").contentType("application/json")
                    .body(SdkBytes.fromUtf8String(BODY)));
            assertEquals(0, times(3).compareTo(admin.awaitSpend(key, times(3))), "invoke");

            async.invokeModelWithResponseStream(r -> r.modelId("my-claude").contentType("application/json")
                            .body(SdkBytes.fromUtf8String(BODY)),
                    InvokeModelWithResponseStreamResponseHandler.builder().subscriber(
                            InvokeModelWithResponseStreamResponseHandler.Visitor.builder().build()).build())
                    .get(30, TimeUnit.SECONDS);
            assertEquals(0, times(4).compareTo(admin.awaitSpend(key, times(4))), "invoke-with-response-stream");
        }
        JsonNode logs = admin.get("/spend/logs?api_key=" + key).body();
        JsonNode rows = logs.isArray() ? logs : logs.get("data");
        assertEquals(4, rows.size(), logs.toString());
        for (JsonNode row : rows) {
            assertEquals(0, CALL.compareTo(new BigDecimal(row.get("spend").asText())), row.toString());
            // LiteLLM's convention: prompt_tokens includes the cache reads and writes, also shown on their own.
            assertEquals(1350, row.get("prompt_tokens").asInt(), row.toString());
            assertEquals(100, row.get("cache_read_input_tokens").asInt(), row.toString());
            assertEquals(50, row.get("cache_creation_input_tokens").asInt(), row.toString());
            assertEquals(345, row.get("completion_tokens").asInt(), row.toString());
            assertEquals(false, row.get("price_unknown").asBoolean());
        }
    }

    @Test
    void aStreamCutHalfwayRecordsTheUsageSeenSoFar() throws Exception {
        String key = admin.generate("{}");
        fixture.fake.addFault(RequestMatcher.streaming(),
                Fault.slowStream(Duration.ofMillis(30)).and(Fault.cutAfterFrames(2)), 1);
        try (BedrockRuntimeAsyncClient async = fixture.runtimeAsync(key, Protocol.HTTP2)) {
            CompletableFuture<Void> call = async.invokeModelWithResponseStream(r -> r.modelId("my-claude")
                            .contentType("application/json").body(SdkBytes.fromUtf8String(BODY)),
                    InvokeModelWithResponseStreamResponseHandler.builder().subscriber(
                            InvokeModelWithResponseStreamResponseHandler.Visitor.builder().build()).build());
            assertThrows(Exception.class, () -> call.get(30, TimeUnit.SECONDS));
        }
        assertEquals(0, CUT_AFTER_START.compareTo(admin.awaitSpend(key, CUT_AFTER_START)));
    }

    @Test
    void budgetOvershootIsBoundedUnderConcurrency() throws Exception {
        BigDecimal budget = times(10);
        String key = admin.generate("{\"max_budget\": " + budget.toPlainString() + "}");
        List<CompletableFuture<?>> calls = new ArrayList<>();
        int denied = 0;
        int succeeded = 0;
        try (BedrockRuntimeAsyncClient async = fixture.runtimeAsync(key, Protocol.HTTP2)) {
            for (int i = 0; i < 50; i++) {
                calls.add(async.converse(r -> r.modelId("my-claude").messages(hi())));
            }
            for (CompletableFuture<?> call : calls) {
                try {
                    call.get(30, TimeUnit.SECONDS);
                    succeeded++;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof AccessDeniedException)) {
                        e.getCause().printStackTrace();
                    }
                    assertInstanceOf(AccessDeniedException.class, e.getCause());
                    assertTrue(e.getCause().getMessage().contains("Budget exceeded"), e.getCause().getMessage());
                    denied++;
                }
            }
        }
        assertEquals(50, succeeded + denied);
        System.out.printf("budget for 10 calls: %d of 50 concurrent calls admitted%n", succeeded);
        assertTrue(succeeded >= 8 && succeeded <= 11, "admitted " + succeeded + " calls on a budget for 10");
        BigDecimal spent = admin.awaitSpend(key, times(succeeded));
        assertEquals(0, times(succeeded).compareTo(spent), "every admitted call is counted exactly");
        // What the burst left of the budget is still usable, one call at a time, until it is spent.
        int later = 0;
        try (BedrockRuntimeClient runtime = fixture.runtime(key)) {
            while (true) {
                try {
                    runtime.converse(r -> r.modelId("my-claude").messages(hi()));
                    later++;
                    assertTrue(later <= 3, "the budget never ran out");
                } catch (AccessDeniedException after) {
                    assertTrue(after.getMessage().contains("Budget exceeded"), after.getMessage());
                    break;
                }
            }
        }
        spent = admin.awaitSpend(key, times(succeeded + later));
        assertTrue(spent.compareTo(budget.add(CALL)) <= 0, "overshoot of at most one call: spent " + spent);
    }

    @Test
    void lifecycleExpiryBlockRegenerateDelete() throws Exception {
        String expiring = admin.generate("{\"duration\": \"2s\"}");
        try (BedrockRuntimeClient runtime = fixture.runtime(expiring)) {
            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
            Thread.sleep(2200);
            assertDenied(runtime, "expired");
        }
        String key = admin.generate("{}");
        try (BedrockRuntimeClient runtime = fixture.runtime(key)) {
            assertEquals(200, admin.post("/key/block", "{\"key\": \"" + key + "\"}").status());
            assertDenied(runtime, "blocked");
            assertEquals(200, admin.post("/key/unblock", "{\"key\": \"" + key + "\"}").status());
            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
        }
        admin.awaitSpend(key, CALL);
        AdminClient.Response regenerated = admin.post("/key/regenerate", "{\"key\": \"" + key + "\"}");
        assertEquals(200, regenerated.status(), String.valueOf(regenerated.body()));
        String newKey = regenerated.body().get("key").asText();
        try (BedrockRuntimeClient old = fixture.runtime(key); BedrockRuntimeClient fresh = fixture.runtime(newKey)) {
            assertDenied(old, "not valid");
            fresh.converse(r -> r.modelId("my-claude").messages(hi()));
        }
        assertEquals(0, times(2).compareTo(admin.awaitSpend(newKey, times(2))), "spend kept across regenerate");
        assertEquals(200, admin.post("/key/delete", "{\"keys\": [\"" + newKey + "\"]}").status());
        try (BedrockRuntimeClient deleted = fixture.runtime(newKey)) {
            assertDenied(deleted, "not valid");
        }
    }

    @Test
    void allowListByAliasAndByRawId() throws Exception {
        String aliasOnly = admin.generate("{\"models\": [\"my-claude\"]}");
        try (BedrockRuntimeClient runtime = fixture.runtime(aliasOnly)) {
            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
            assertDenied(runtime, "may not use model", "two-regions-does-not-exist-but-is-raw:0");
            assertDenied(runtime, "may not use model", "anthropic.claude-3-opus-20240229-v1:0");
        }
        String rawOnly = admin.generate("{\"models\": [\"cohere.command-r-v1:0\"]}");
        try (BedrockRuntimeClient runtime = fixture.runtime(rawOnly)) {
            runtime.converse(r -> r.modelId("cohere.command-r-v1:0").messages(hi()));
            assertDenied(runtime, "may not use model", "my-claude");
        }
        assertTrue(fixture.fake.requests().size() == 2, "refused calls never reached upstream");
    }

    @Test
    void endUsersAreAttributedAndBudgeted() throws Exception {
        String key = admin.generate("{}");
        try (BedrockRuntimeClient runtime = fixture.runtime(key)) {
            runtime.converse(r -> r.modelId("my-claude").messages(hi())
                    .overrideConfiguration(o -> o.putHeader("x-end-user-id", "alice")));
            runtime.converse(r -> r.modelId("my-claude").messages(hi())
                    .overrideConfiguration(o -> o.putHeader("x-end-user-id", "capped-user")));
            runtime.converse(r -> r.modelId("my-claude").messages(hi())
                    .overrideConfiguration(o -> o.putHeader("x-end-user-id", "capped-user")));
            admin.awaitSpend(key, times(3));
            AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> runtime.converse(r -> r
                    .modelId("my-claude").messages(hi())
                    .overrideConfiguration(o -> o.putHeader("x-end-user-id", "capped-user"))));
            assertTrue(denied.getMessage().contains("end user 'capped-user'"), denied.getMessage());
        }
        JsonNode alice = admin.get("/end_user/info?end_user_id=alice").body();
        assertTrue(alice.toString().contains("0.0089925"), alice.toString());
        JsonNode logs = admin.get("/spend/logs?end_user=alice").body();
        JsonNode rows = logs.isArray() ? logs : logs.get("data");
        assertEquals(1, rows.size(), logs.toString());
        assertEquals("alice", rows.get(0).get("end_user").asText());
    }

    @Test
    void badKeyRequestsNameTheFieldAndWriteNothing() throws Exception {
        for (String[] bad : new String[][]{{"{\"max_budget\": -1}", "max_budget"},
                {"{\"budget_duration\": \"forever\"}", "budget_duration"}, {"{\"rpm_limit\": \"many\"}", "rpm_limit"},
                {"{\"models\": \"my-claude\"}", "models"}, {"{\"duration\": 5}", "duration"}}) {
            AdminClient.Response response = admin.post("/key/generate", bad[0]);
            assertEquals(400, response.status(), bad[0]);
            assertTrue(response.body().toString().contains(bad[1]), response.body().toString());
        }
        // A long period the validator accepts is also one the budget resets can schedule.
        AdminClient.Response longPeriod = admin.post("/key/generate", "{\"budget_duration\": \"5000d\"}");
        assertEquals(200, longPeriod.status(), String.valueOf(longPeriod.body()));
    }

    /** The settings another gateway instance would use to reach the same database. */
    abstract DatabaseSettings sharedDatabase();

    @Test
    void spendSurvivesARestart() throws Exception {
        String key = admin.generate("{\"max_budget\": 5}");
        try (BedrockRuntimeClient runtime = fixture.runtime(key)) {
            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
        }
        fixture.restartGateway(); // a graceful stop writes what is still queued
        admin = new AdminClient(fixture.gateway.baseUrl());
        assertEquals(0, times(2).compareTo(admin.spend(key)), "spend after restart");
        try (BedrockRuntimeClient runtime = fixture.runtime(key)) {
            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
        }
        assertEquals(0, times(3).compareTo(admin.awaitSpend(key, times(3))));
    }

    @Test
    void aKeyDeletedByAnotherInstanceStopsWorkingWithinSeconds() throws Exception {
        String key = admin.generate("{}");
        try (BedrockRuntimeClient runtime = fixture.runtime(key);
             Database otherInstance = Database.open(sharedDatabase())) {
            runtime.converse(r -> r.modelId("my-claude").messages(hi()));
            assertEquals(1, otherInstance.keys().delete(List.of(KeyHashing.sha256Hex(key))));
            long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            boolean denied = false;
            while (!denied && System.nanoTime() < deadline) {
                try {
                    runtime.converse(r -> r.modelId("my-claude").messages(hi()));
                    Thread.sleep(200);
                } catch (AccessDeniedException e) {
                    denied = true;
                }
            }
            assertTrue(denied, "the deleted key still worked after 8 s");
        }
    }

    @Test
    void callsRefusedAfterAdmissionReleaseTheirReservation() throws Exception {
        String key = admin.generate("{\"max_parallel_requests\": 1}");
        for (int i = 0; i < 3; i++) { // admitted by the governor, then refused by the signing filter
            try (RawHttp http = new RawHttp(fixture.gateway.port())) {
                byte[] body = "{\"messages\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                RawHttp.Response refused = http.exchange("POST", "/bedrock/model/my-claude/converse?x=%zz",
                        List.of(RawHttp.h("Host", "gw"), RawHttp.h("Authorization", "Bearer " + key),
                                RawHttp.h("Content-Type", "application/json"),
                                RawHttp.h("Content-Length", String.valueOf(body.length))), body);
                assertEquals(400, refused.status(), refused.bodyText());
            }
        }
        try (BedrockRuntimeClient runtime = fixture.runtime(key)) {
            runtime.converse(r -> r.modelId("my-claude").messages(hi())); // its one parallel slot is free
        }
    }

    static void assertDenied(BedrockRuntimeClient runtime, String messagePart) {
        assertDenied(runtime, messagePart, "my-claude");
    }

    static void assertDenied(BedrockRuntimeClient runtime, String messagePart, String model) {
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> runtime.converse(r -> r.modelId(model).messages(hi())));
        assertTrue(denied.getMessage().contains(messagePart), denied.getMessage());
    }
}
