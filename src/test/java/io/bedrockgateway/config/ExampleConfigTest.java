package io.bedrockgateway.config;

import io.bedrockgateway.routing.Deployment;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code config.example.yaml} must load on a fresh machine: no environment variables, no AWS calls. */
class ExampleConfigTest {

    @Test
    void loadsWithAnEmptyEnvironment() throws Exception {
        Path example = Path.of(System.getProperty("basedir", "."), "config.example.yaml");
        GatewayConfig config = ConfigLoader.load(example, Environment.of(Map.of()));
        assertNull(config.masterKey());
        assertTrue(config.routes().passThroughUnknownModels());
        assertEquals(List.of("claude-sonnet", "nova-lite"), List.copyOf(config.routes().aliases()));
        List<Deployment> claude = config.routes().candidates("claude-sonnet");
        assertEquals(List.of("us-west-2", "us-east-1"), claude.stream().map(Deployment::region).toList());
        assertEquals("amazon.nova-lite-v1:0", config.routes().candidates("nova-lite").get(0).upstreamModelId());
        assertEquals("simple-shuffle", config.routerSettings().get("routing_strategy"));
    }
}
