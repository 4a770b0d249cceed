package io.bedrockgateway.e2e;

import io.bedrockgateway.fake.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code sticky_by: key}: every call made with one virtual key goes to the same deployment of an alias (so that a
 * team's prompt cache stays in one region), and different keys spread over the deployments. Real SDK clients, one
 * per key, against three deployments of one alias in three regions of the fake.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StickyByKeyTest {
    private static final List<String> REGIONS = RetryAndFallbackTest.TRI;
    private static GatewayFixture fixture;
    private static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = GatewayFixture.start(endpoint -> RetryAndFallbackTest.deployment("tri", REGIONS.get(0), endpoint, "")
                        + RetryAndFallbackTest.deployment("tri", REGIONS.get(1), endpoint, "")
                        + RetryAndFallbackTest.deployment("tri", REGIONS.get(2), endpoint, ""),
                """
                  pass_through_unknown_models: false
                router_settings:
                  sticky_by: key
                """);
        admin = new AdminClient(fixture.gateway.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void eachKeyStaysInOneRegionAndKeysSpreadOverAll() throws Exception {
        Map<String, String> regionByKey = new TreeMap<>();
        Set<String> spread = new HashSet<>();
        for (int k = 0; k < 30; k++) {
            String secret = admin.post("/key/generate", "{\"key_alias\": \"sticky-" + k + "\"}").body().get("key")
                    .asText();
            try (BedrockRuntimeClient client = fixture.runtime(secret)) {
                fixture.fake.clearRequests();
                int calls = k < 5 ? 6 : 1;
                for (int i = 0; i < calls; i++) {
                    client.converse(r -> r.modelId("tri").messages(RetryAndFallbackTest.hi()));
                }
                List<String> regions = new ArrayList<>(fixture.fake.requests().stream()
                        .map(RecordedRequest::region).toList());
                assertEquals(calls, regions.size(), "one upstream call per client call: " + regions);
                assertEquals(1, new HashSet<>(regions).size(), "key sticky-" + k + " stayed in one region: " + regions);
                regionByKey.put("sticky-" + k, regions.get(0));
                spread.add(regions.get(0));
            }
        }
        assertEquals(Set.copyOf(REGIONS), spread, "30 keys spread over all three deployments: " + regionByKey);
    }
}
