package io.bedrockgateway.keys;

import io.bedrockgateway.auth.GatewayPrincipal;
import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import io.bedrockgateway.routing.BedrockOperation;
import io.bedrockgateway.routing.BedrockService;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.spend.Usage;
import io.bedrockgateway.upstream.UpstreamAuth;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GovernorTest {
    private static final BigDecimal CALL_COST = new BigDecimal("0.01");
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Deployment deployment = new Deployment("my-claude/0", "my-claude", "anthropic.claude-v2",
            "us-west-2", URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"),
            URI.create("https://bedrock-agent-runtime.us-west-2.amazonaws.com"),
            new UpstreamAuth.Bearer("t"), 1, 0, 0, Deployment.Timeouts.DEFAULTS);
    private final BedrockOperation converse = new BedrockOperation(BedrockService.RUNTIME, "Converse", "POST",
            List.of("model", "my-claude", "converse"), 1, false);

    private Governor governor(Map<String, BigDecimal> endUserBudgets) {
        return new Governor(clock, new CostEstimator(d -> CALL_COST),
                user -> Optional.ofNullable(endUserBudgets.get(user)), user -> BigDecimal.ZERO);
    }

    private static VirtualKey key(BigDecimal maxBudget, List<String> models, Long rpm, Integer parallel,
                                  Instant expires, boolean blocked) {
        return new VirtualKey("a".repeat(64), "sk-...abcd", "team-a", models, maxBudget, null, null, null, rpm,
                null, parallel, expires, "u1", "t1", Map.of(), blocked, BigDecimal.ZERO, NOW, NOW);
    }

    private static GatewayPrincipal principal(VirtualKey key) {
        return new GatewayPrincipal("aaaaaaaaaaaa", key.keyAlias(), false, "bearer", key);
    }

    private static GatewayError refusal(Runnable call) {
        return assertThrows(GatewayException.class, call::run).error();
    }

    @Test
    void budgetHoldsUnderConcurrency() throws Exception {
        Governor governor = governor(Map.of());
        VirtualKey key = key(CALL_COST.multiply(BigDecimal.TEN), List.of(), null, null, null, false);
        governor.keyLoaded(key);
        ExecutorService pool = Executors.newFixedThreadPool(16, r -> new Thread(r, "governor-test"));
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(pool.submit(() -> {
                start.await(5, TimeUnit.SECONDS);
                try {
                    Admission admission = governor.admit(principal(key), converse, deployment, null);
                    admitted.incrementAndGet();
                    Thread.sleep(20); // in flight while the others arrive
                    governor.settle(admission, deployment, CALL_COST, new Usage(100, 10, 0, 0));
                } catch (GatewayException refused) {
                    assertEquals(GatewayError.ACCESS_DENIED, refused.error());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        assertEquals(10, admitted.get(), "exactly the budget's worth was admitted");
        GatewayException after = assertThrows(GatewayException.class,
                () -> governor.admit(principal(key), converse, deployment, null));
        assertTrue(after.getMessage().contains("Budget exceeded"), after.getMessage());
    }

    @Test
    void refusesBlockedExpiredAndModelsNotAllowed() {
        Governor governor = governor(Map.of());
        assertEquals(GatewayError.ACCESS_DENIED, refusal(() -> governor.admit(
                principal(key(null, List.of(), null, null, null, true)), converse, deployment, null)));
        assertEquals(GatewayError.ACCESS_DENIED, refusal(() -> governor.admit(
                principal(key(null, List.of(), null, null, NOW, false)), converse, deployment, null)));
        VirtualKey otherModelsOnly = key(null, List.of("cheap-model"), null, null, null, false);
        assertEquals(GatewayError.ACCESS_DENIED, refusal(() -> governor.admit(
                principal(otherModelsOnly), converse, deployment, null)));
        VirtualKey byAlias = key(null, List.of("my-claude"), null, null, null, false);
        governor.admit(principal(byAlias), converse, deployment, null);
        VirtualKey byModelId = key(null, List.of("anthropic.claude-v2"), null, null, null, false);
        governor.admit(principal(byModelId), converse, deployment, null);
    }

    @Test
    void rawIdCannotBypassAnAliasList() {
        BedrockOperation rawId = new BedrockOperation(BedrockService.RUNTIME, "Converse", "POST",
                List.of("model", "anthropic.claude-3-opus-20240229-v1:0", "converse"), 1, false);
        Deployment passThrough = new Deployment("passthrough/x", null, "anthropic.claude-3-opus-20240229-v1:0",
                "us-west-2", deployment.runtimeEndpoint(), deployment.agentRuntimeEndpoint(), deployment.auth(),
                1, 0, 0, Deployment.Timeouts.DEFAULTS);
        assertEquals("This key may not use model 'anthropic.claude-3-opus-20240229-v1:0'",
                ModelAllowList.denial(List.of("my-claude"), rawId, passThrough));
        BedrockOperation agent = new BedrockOperation(BedrockService.AGENT_RUNTIME, "Retrieve", "POST",
                List.of("knowledgebases", "KB1", "retrieve"), -1, false);
        assertTrue(ModelAllowList.denial(List.of("my-claude"), agent, deployment).contains("bedrock-agent-runtime"));
        assertNull(ModelAllowList.denial(List.of("my-claude", "bedrock-agent-runtime"), agent, deployment));
    }

    @Test
    void rpmAndParallelLimitsThrottle() {
        Governor governor = governor(Map.of());
        VirtualKey rpm = key(null, List.of(), 3L, null, null, false);
        for (int i = 0; i < 3; i++) {
            governor.settle(governor.admit(principal(rpm), converse, deployment, null),
                    deployment, CALL_COST, Usage.NONE);
        }
        assertEquals(GatewayError.THROTTLING, refusal(() -> governor.admit(principal(rpm), converse, deployment, null)));

        VirtualKey parallel = new VirtualKey("b".repeat(64), "sk-...bbbb", null, List.of(), null, null, null, null,
                null, null, 2, null, null, null, Map.of(), false, BigDecimal.ZERO, NOW, NOW);
        Admission first = governor.admit(principal(parallel), converse, deployment, null);
        governor.admit(principal(parallel), converse, deployment, null);
        assertEquals(GatewayError.THROTTLING,
                refusal(() -> governor.admit(principal(parallel), converse, deployment, null)));
        governor.settle(first, deployment, CALL_COST, Usage.NONE);
        governor.admit(principal(parallel), converse, deployment, null);
    }

    @Test
    void endUserBudgetAppliesEvenToTheMasterKey() {
        Governor governor = governor(Map.of("alice", new BigDecimal("0.02")));
        GatewayPrincipal master = new GatewayPrincipal("master:1", "master", true, "bearer");
        governor.settle(governor.admit(master, converse, deployment, "alice"), deployment, CALL_COST, Usage.NONE);
        governor.settle(governor.admit(master, converse, deployment, "alice"), deployment, CALL_COST, Usage.NONE);
        GatewayException refused = assertThrows(GatewayException.class,
                () -> governor.admit(master, converse, deployment, "alice"));
        assertTrue(refused.getMessage().contains("end user 'alice'"), refused.getMessage());
        governor.admit(master, converse, deployment, "bob");
    }

    @Test
    void flushedSpendMovesFromPendingToStored() {
        Governor governor = governor(Map.of());
        VirtualKey key = key(new BigDecimal("0.03"), List.of(), null, null, null, false);
        governor.keyLoaded(key);
        governor.settle(governor.admit(principal(key), converse, deployment, null), deployment, CALL_COST, Usage.NONE);
        governor.settle(governor.admit(principal(key), converse, deployment, null), deployment, CALL_COST, Usage.NONE);
        governor.keySpendFlushed(key.tokenHash(), new BigDecimal("0.02"), new BigDecimal("0.02"));
        governor.settle(governor.admit(principal(key), converse, deployment, null), deployment, CALL_COST, Usage.NONE);
        assertEquals(GatewayError.ACCESS_DENIED, refusal(() -> governor.admit(principal(key), converse, deployment,
                null)));
    }
}
