package io.bedrockgateway.routing;

import io.bedrockgateway.upstream.UpstreamAuth;

import java.net.URI;

/** A deployment in us-west-2 with a bearer token and default timeouts, for routing and governance tests. */
public final class TestDeployment {
    private TestDeployment() {
    }

    /** @param alias the {@code model_name}, or {@code null} for a pass-through deployment */
    public static Deployment of(String id, String alias) {
        return new Deployment(id, alias, "anthropic.claude-v2", "us-west-2",
                URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"),
                URI.create("https://bedrock-agent-runtime.us-west-2.amazonaws.com"), new UpstreamAuth.Bearer("t"),
                1, 0, 0, Deployment.Timeouts.DEFAULTS);
    }
}
