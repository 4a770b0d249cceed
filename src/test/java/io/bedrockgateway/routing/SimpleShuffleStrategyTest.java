package io.bedrockgateway.routing;

import io.bedrockgateway.upstream.CredentialsSources;
import io.bedrockgateway.upstream.UpstreamAuth;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SimpleShuffleStrategyTest {
    private static final int PICKS = 20_000;
    private static final double TOLERANCE = 0.03;
    private static final UpstreamAuth AUTH = new UpstreamAuth.SigV4(
            CredentialsSources.fixed(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"), "test"));
    private final SimpleShuffleStrategy strategy = new SimpleShuffleStrategy();

    @Test
    void weightedByConfiguredWeight() {
        Map<String, Double> shares = shares(List.of(deployment("a", 1, true, 0, 0), deployment("b", 3, true, 0, 0)));
        assertShare(0.25, shares.get("a"));
        assertShare(0.75, shares.get("b"));
    }

    @Test
    void weightedByRpmWhenNoWeightIsConfigured() {
        Map<String, Double> shares = shares(List.of(deployment("a", 1, false, 100, 0),
                deployment("b", 1, false, 400, 0)));
        assertShare(0.2, shares.get("a"));
        assertShare(0.8, shares.get("b"));
    }

    @Test
    void configuredWeightWinsOverRpm() {
        Map<String, Double> shares = shares(List.of(deployment("a", 1, true, 100, 0),
                deployment("b", 1, false, 900, 0)));
        assertShare(0.5, shares.get("a"));
        assertShare(0.5, shares.get("b"));
    }

    @Test
    void deploymentWithoutRpmGetsNoTrafficWhenOthersHaveRpm() {
        Map<String, Double> shares = shares(List.of(deployment("a", 1, false, 0, 0),
                deployment("b", 1, false, 50, 0)));
        assertEquals(0.0, shares.getOrDefault("a", 0.0));
        assertEquals(1.0, shares.get("b"));
    }

    @Test
    void weightedByTpmWhenThereIsNeitherWeightNorRpm() {
        Map<String, Double> shares = shares(List.of(deployment("a", 1, false, 0, 3000),
                deployment("b", 1, false, 0, 1000)));
        assertShare(0.75, shares.get("a"));
        assertShare(0.25, shares.get("b"));
    }

    @Test
    void uniformOtherwise() {
        Map<String, Double> shares = shares(List.of(deployment("a", 1, false, 0, 0),
                deployment("b", 1, false, 0, 0), deployment("c", 1, false, 0, 0)));
        shares.values().forEach(share -> assertShare(1.0 / 3, share));
        assertEquals(3, shares.size());
    }

    @Test
    void singleAndEmpty() {
        Deployment only = deployment("a", 5, true, 0, 0);
        assertSame(only, strategy.select(List.of(only)));
        assertThrows(IllegalArgumentException.class, () -> strategy.select(List.of()));
    }

    @Test
    void legacyConstructorCountsNonDefaultWeightAsConfigured() {
        Deployment legacy = new Deployment("x/0", "x", "m", "us-east-1", URI.create("https://r"),
                URI.create("https://a"), AUTH, 3, 0, 0, Deployment.Timeouts.DEFAULTS);
        assertEquals(true, legacy.weightConfigured());
        assertEquals(Map.of(), legacy.modelInfo());
    }

    private Map<String, Double> shares(List<Deployment> candidates) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            counts.merge(strategy.select(candidates).id(), 1, Integer::sum);
        }
        Map<String, Double> shares = new HashMap<>();
        counts.forEach((id, count) -> shares.put(id, count / (double) PICKS));
        return shares;
    }

    private static void assertShare(double expected, Double actual) {
        assertEquals(expected, actual == null ? 0.0 : actual, TOLERANCE);
    }

    private static Deployment deployment(String id, int weight, boolean weightConfigured, int rpm, int tpm) {
        return new Deployment(id, "alias", "model", "us-east-1", URI.create("https://runtime"),
                URI.create("https://agent"), AUTH, weight, rpm, tpm, Deployment.Timeouts.DEFAULTS, Map.of(),
                weightConfigured);
    }
}
