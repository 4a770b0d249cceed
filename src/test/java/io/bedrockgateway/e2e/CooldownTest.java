package io.bedrockgateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.FaultRule;
import io.bedrockgateway.fake.RecordedRequest;
import io.bedrockgateway.fake.RequestMatcher;
import io.bedrockgateway.upstream.UpstreamClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cooldown: a deployment failing more than {@code allowed_fails} times a minute is skipped for
 * {@code cooldown_time} (and {@code GET /health} says so), then tried again; when every deployment of an alias is
 * cooling, the gateway answers 503 {@code ServiceUnavailableException} itself, with {@code Retry-After}; the only
 * deployment of an alias never cools down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CooldownTest {
    private static GatewayFixture fixture;
    private static BedrockRuntimeClient runtime;
    private static AdminClient http;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start(endpoint -> RetryAndFallbackTest.deployment("duo", "us-east-2", endpoint, "")
                        + RetryAndFallbackTest.deployment("duo", "ap-southeast-2", endpoint, "")
                        + RetryAndFallbackTest.deployment("pair", "af-south-1", endpoint, "")
                        + RetryAndFallbackTest.deployment("pair", "me-central-1", endpoint, "")
                        + RetryAndFallbackTest.deployment("solo", "il-central-1", endpoint, ""),
                """
                  pass_through_unknown_models: false
                router_settings:
                  allowed_fails: 1
                  cooldown_time: 1.5
                """);
        runtime = fixture.runtime(GatewayFixture.MASTER_KEY);
        http = new AdminClient(fixture.gateway.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void clean() {
        fixture.fake.clearFaults();
        fixture.fake.clearRequests();
    }

    private static List<String> regionsCalled() {
        return fixture.fake.requests().stream().map(RecordedRequest::region).toList();
    }

    private static JsonNode deploymentHealth(String deployment) throws Exception {
        JsonNode report = http.get("/health").body();
        for (String list : List.of("healthy_endpoints", "unhealthy_endpoints")) {
            for (JsonNode node : report.get(list)) {
                if (node.get("deployment").asText().equals(deployment)) {
                    return node;
                }
            }
        }
        throw new AssertionError(deployment + " not in " + report);
    }

    /** The deployment's state as the gateway's MXBean reports it to JMX consoles. */
    private static String jmxState(String deployment) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("io.bedrockgateway:type=Gateway,*"), null);
        assertEquals(1, names.size(), names.toString());
        ObjectName name = names.iterator().next();
        for (CompositeData view : (CompositeData[]) server.getAttribute(name, "Deployments")) {
            if (deployment.equals(view.get("deployment"))) {
                return (String) view.get("state");
            }
        }
        throw new AssertionError(deployment + " not in JMX");
    }

    @Test
    void jmxShowsDeploymentsAndReloadsTheConfig() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = server.queryNames(new ObjectName("io.bedrockgateway:type=Gateway,*"), null).iterator()
                .next();
        assertEquals("simple-shuffle", server.getAttribute(name, "RoutingStrategy"));
        assertEquals(9, ((CompositeData[]) server.getAttribute(name, "Deployments")).length, "4 standard + 5 here");
        assertEquals(fixture.configFile.toString(), server.getAttribute(name, "ConfigFile"));
        String outcome = (String) server.invoke(name, "reloadConfig", new Object[0], new String[0]);
        assertTrue(outcome.startsWith("UNCHANGED"), outcome);
        assertTrue(((String) server.getAttribute(name, "LastReload")).startsWith("UNCHANGED"));
    }

    /**
     * The upstream connection pool, on {@code GET /health} and JMX: a call held by a slow upstream leases a
     * connection; once it has ended the connection goes back to the pool, kept alive, and nothing waits.
     */
    @Test
    void upstreamConnectionPoolIsOnHealthAndJmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = server.queryNames(new ObjectName("io.bedrockgateway:type=Gateway,*"), null).iterator()
                .next();
        fixture.fake.addFault(RequestMatcher.region("il-central-1"), Fault.slowHead(Duration.ofMillis(1500)),
                FaultRule.ALWAYS);
        ExecutorService caller = Executors.newSingleThreadExecutor(r -> new Thread(r, "pool-stats-caller"));
        try {
            CompletableFuture<?> slowCall = CompletableFuture.runAsync(
                    () -> RetryAndFallbackTest.converse(runtime, "solo"), caller);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (http.get("/health").body().get("upstream_connections").get("leased").asInt() < 1) {
                assertTrue(System.nanoTime() < deadline, "the held call never showed as a leased connection");
                Thread.sleep(20);
            }
            assertTrue((Integer) server.getAttribute(name, "UpstreamConnectionsLeased") >= 1, "JMX sees it too");
            slowCall.get(10, TimeUnit.SECONDS);
        } finally {
            caller.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode pool = http.get("/health").body().get("upstream_connections");
        while (pool.get("leased").asInt() != 0) {
            assertTrue(System.nanoTime() < deadline, "a connection stayed leased after its call ended: " + pool);
            Thread.sleep(20);
            pool = http.get("/health").body().get("upstream_connections");
        }
        assertTrue(pool.get("available").asInt() >= 1, "the connection is kept alive for the next call: " + pool);
        assertEquals(0, pool.get("pending").asInt(), pool.toString());
        // Every deployment here shares the fake's one host, and the pool bounds each host.
        int perHost = UpstreamClient.Settings.defaults().maxConnectionsPerRoute();
        assertEquals(perHost, pool.get("max").asInt(), pool.toString());
        assertEquals(0, server.getAttribute(name, "UpstreamConnectionsPending"));
        assertEquals(perHost, server.getAttribute(name, "UpstreamConnectionsMax"));
        assertTrue((Integer) server.getAttribute(name, "UpstreamConnectionsAvailable") >= 1);
    }

    @Test
    void aFailingDeploymentCoolsDownAndComesBack() throws Exception {
        FaultRule failing = fixture.fake.addFault(RequestMatcher.region("us-east-2"), Fault.serviceUnavailable(),
                FaultRule.ALWAYS);
        int calls = 0;
        while (failing.hits() < 2) { // allowed_fails 1: the second failure in a minute starts the cooldown
            assertTrue(++calls < 60, "the failing deployment was picked too rarely");
            assertFalse(RetryAndFallbackTest.converse(runtime, "duo").output().message().content().isEmpty());
        }
        JsonNode cooling = deploymentHealth("duo/0");
        assertEquals("cooling_down", cooling.get("state").asText(), cooling.toString());
        assertTrue(cooling.get("cooldown_reason").asText().contains("allowed_fails 1"), cooling.toString());
        assertTrue(cooling.get("last_error").asText().contains("503"), cooling.toString());
        assertEquals(1, http.get("/health").body().get("unhealthy_count").asInt());
        assertEquals("cooling_down", jmxState("duo/0"), "JMX consoles see the same");

        fixture.fake.clearRequests();
        for (int i = 0; i < 10; i++) {
            RetryAndFallbackTest.converse(runtime, "duo");
        }
        assertEquals(List.of(), regionsCalled().stream().filter("us-east-2"::equals).toList(),
                "a cooling deployment gets no calls");

        failing.remove();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!"healthy".equals(deploymentHealth("duo/0").get("state").asText())) {
            assertTrue(System.nanoTime() < deadline, "cooldown never ended");
            Thread.sleep(100);
        }
        fixture.fake.clearRequests();
        for (int i = 0; i < 40 && !regionsCalled().contains("us-east-2"); i++) {
            RetryAndFallbackTest.converse(runtime, "duo");
        }
        assertTrue(regionsCalled().contains("us-east-2"), "tried again after the cooldown: " + regionsCalled());
        assertEquals(1, deploymentHealth("duo/0").get("cooldowns").asInt());
    }

    @Test
    void whenEveryDeploymentIsCoolingTheGatewayAnswers503WithRetryAfter() throws Exception {
        FaultRule failing = fixture.fake.addFault(RequestMatcher.any(), Fault.serviceUnavailable(), FaultRule.ALWAYS);
        for (int i = 0; i < 2; i++) { // each call tries both deployments; the answer is upstream's last 503
            ServiceUnavailableException upstream = assertThrows(ServiceUnavailableException.class,
                    () -> RetryAndFallbackTest.converse(runtime, "pair"));
            assertTrue(upstream.getMessage().contains("unable to process"), upstream.getMessage());
        }
        assertEquals(4, failing.hits());
        fixture.fake.clearRequests();
        ServiceUnavailableException cooling = assertThrows(ServiceUnavailableException.class,
                () -> RetryAndFallbackTest.converse(runtime, "pair"));
        assertEquals(503, cooling.statusCode());
        assertTrue(cooling.getMessage().startsWith("All 2 deployments of 'pair' are cooling down after repeated"
                + " upstream failures; the first is tried again in "), cooling.getMessage());
        String retryAfter = cooling.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")
                .orElse(null);
        assertNotNull(retryAfter, "Retry-After tells the client when the first deployment is back");
        assertTrue(Integer.parseInt(retryAfter) >= 1 && Integer.parseInt(retryAfter) <= 2, retryAfter);
        assertEquals(List.of(), regionsCalled(), "nothing went upstream");
        Thread.sleep(1600);
        fixture.fake.clearFaults();
        RetryAndFallbackTest.converse(runtime, "pair");
        assertEquals(1, regionsCalled().size(), "after cooldown_time the deployments are tried again");
    }

    @Test
    void theOnlyDeploymentOfAnAliasNeverCoolsDown() throws Exception {
        fixture.fake.addFault(RequestMatcher.region("il-central-1"), Fault.throttling().withRetryAfter("7"),
                FaultRule.ALWAYS);
        for (int i = 0; i < 5; i++) { // skipping it would turn throttling into an outage: upstream's answer goes out
            ThrottlingException throttled = assertThrows(ThrottlingException.class,
                    () -> RetryAndFallbackTest.converse(runtime, "solo"));
            assertEquals("7", throttled.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")
                    .orElse(null), "upstream's Retry-After reaches the client");
        }
        assertEquals(5, regionsCalled().size());
        assertEquals("healthy", deploymentHealth("solo/0").get("state").asText());
    }
}
