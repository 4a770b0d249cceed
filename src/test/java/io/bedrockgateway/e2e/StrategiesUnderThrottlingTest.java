package io.bedrockgateway.e2e;

import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.FaultRule;
import io.bedrockgateway.fake.RecordedRequest;
import io.bedrockgateway.fake.RequestMatcher;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each routing strategy, observed over many concurrent calls, with one of three deployments answering 429 to
 * everything: every client call still succeeds through the other two, and the throttled one was really tried.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StrategiesUnderThrottlingTest {
    private static final int THREADS = 6;
    private static final int CALLS_PER_THREAD = 15;

    @ParameterizedTest
    @ValueSource(strings = {"simple-shuffle", "least-busy", "latency-based-routing", "usage-based-routing"})
    void oneThrottledDeploymentNeverReachesClients(String strategy) throws Exception {
        List<String> regions = RetryAndFallbackTest.TRI;
        String rpm = "      rpm: 600\n      tpm: 100000\n";
        try (GatewayFixture fixture = GatewayFixture.start(endpoint ->
                        RetryAndFallbackTest.deployment("tri", regions.get(0), endpoint, rpm)
                                + RetryAndFallbackTest.deployment("tri", regions.get(1), endpoint, rpm)
                                + RetryAndFallbackTest.deployment("tri", regions.get(2), endpoint, rpm),
                "router_settings:\n  routing_strategy: " + strategy + "\n  cooldown_time: 0.2\n");
             BedrockRuntimeClient runtime = fixture.runtime(GatewayFixture.MASTER_KEY)) {
            fixture.fake.latency(5, 5);
            FaultRule throttled = fixture.fake.addFault(RequestMatcher.region(regions.get(1)), Fault.throttling(),
                    FaultRule.ALWAYS);
            AtomicInteger succeeded = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> new Thread(r, "strategy-client"));
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    calls.add(pool.submit(() -> {
                        for (int i = 0; i < CALLS_PER_THREAD; i++) {
                            RetryAndFallbackTest.converse(runtime, "tri"); // throws on any failure
                            succeeded.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Map<String, Long> perRegion = fixture.fake.requests().stream()
                    .collect(Collectors.groupingBy(RecordedRequest::region, Collectors.counting()));
            assertEquals(THREADS * CALLS_PER_THREAD, succeeded.get());
            assertTrue(throttled.hits() > 0, strategy + " never tried the throttled deployment: " + perRegion);
            assertEquals(THREADS * CALLS_PER_THREAD + throttled.hits(), fixture.fake.requests().size(),
                    "one extra upstream call per 429, no more: " + perRegion);
        }
    }
}
