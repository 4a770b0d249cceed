package io.bedrockgateway.spend;

import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.upstream.UpstreamAuth;

import java.net.URI;
import java.util.Map;

/** Deployments for pricing tests. Stateless. */
final class TestDeployments {
    private TestDeployments() {
    }

    static Deployment deployment(String id, String alias, String upstreamModelId, Map<String, Object> modelInfo) {
        return new Deployment(id, alias, upstreamModelId, "us-west-2", URI.create("https://runtime"),
                URI.create("https://agent"), new UpstreamAuth.Bearer("t"), 1, 0, 0, Deployment.Timeouts.DEFAULTS,
                modelInfo, false);
    }

    static Deployment deployment(String alias, String upstreamModelId) {
        return deployment(alias + "/0", alias, upstreamModelId, Map.of());
    }
}
