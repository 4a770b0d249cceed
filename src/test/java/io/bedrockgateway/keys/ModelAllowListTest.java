package io.bedrockgateway.keys;

import io.bedrockgateway.routing.BedrockOperation;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.OperationParser;
import io.bedrockgateway.upstream.UpstreamAuth;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelAllowListTest {
    private static Deployment deployment(String alias, String modelId) {
        return new Deployment(alias + "/0", alias, modelId, "us-west-2",
                URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"),
                URI.create("https://bedrock-agent-runtime.us-west-2.amazonaws.com"), new UpstreamAuth.Bearer("t"),
                1, 0, 0, Deployment.Timeouts.DEFAULTS);
    }

    private final BedrockOperation callPrimary = OperationParser.parse("POST", "/model/primary/converse");
    private final Deployment primary = deployment("primary", "anthropic.claude-v2");
    private final Deployment backup = deployment("backup", "amazon.nova-lite-v1:0");

    @Test
    void aFallbackTargetMustBeAllowedOnItsOwn() {
        assertNull(ModelAllowList.denial(List.of("primary"), callPrimary, primary));
        assertEquals("This key may not use model 'backup' (the fallback of 'primary')",
                ModelAllowList.denial(List.of("primary"), callPrimary, backup));
        assertNull(ModelAllowList.denial(List.of("primary", "backup"), callPrimary, backup));
        assertNull(ModelAllowList.denial(List.of("primary", "amazon.nova-lite-v1:0"), callPrimary, backup));
        assertNull(ModelAllowList.denial(List.of(), callPrimary, backup), "no list: everything");
    }

    @Test
    void theGuardUsesTheSameRule() {
        assertTrue(ModelAllowList.permitsTarget(List.of(), backup));
        assertTrue(ModelAllowList.permitsTarget(List.of("backup"), backup));
        assertFalse(ModelAllowList.permitsTarget(List.of("primary"), backup));
    }
}
