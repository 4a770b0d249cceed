package io.bedrockgateway.testing;

import io.bedrockgateway.it.HttpProbe;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayServerTest {
    private static final String MINIMAL_CONFIG = """
            model_list:
              - model_name: my-claude
                litellm_params:
                  model: bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0
                  aws_region_name: us-west-2
            general_settings:
              master_key: sk-test-master
            """;

    @TempDir
    Path dir;

    @Test
    void servesHttp11AndH2cAndEncodedSlashes() throws Exception {
        try (GatewayServer gateway = GatewayServer.start(config("a.yaml"))) {
            assertEquals("http://127.0.0.1:" + gateway.port(), gateway.baseUrl());

            HttpResponse<String> live = HttpProbe.get(gateway.uri("/health/liveliness"));
            assertEquals(200, live.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, live.version());

            SimpleHttpResponse priorKnowledge = HttpProbe.getWithH2cPriorKnowledge(gateway.uri("/health/liveliness"));
            assertEquals(200, priorKnowledge.getCode());

            HttpResponse<String> upgraded = HttpProbe.getWithH2cUpgrade(gateway.uri("/health/readiness"));
            assertEquals(HttpClient.Version.HTTP_2, upgraded.version());
            assertTrue(upgraded.statusCode() == 200 || upgraded.statusCode() == 503, upgraded.toString());

            assertNotEquals(400, HttpProbe.get(gateway.uri(HttpProbe.ARN_CONVERSE_PATH)).statusCode());
        }
    }

    @Test
    void startsOneAfterAnotherWithTheirOwnSettingsAndLeavesNothingBehind() throws Exception {
        System.setProperty("GATEWAY_TEST_SETTING", "before");
        try {
            int firstPort;
            try (GatewayServer first = GatewayServer.start(config("first.yaml"),
                    Map.of("GATEWAY_TEST_SETTING", "first"))) {
                firstPort = first.port();
                assertEquals(dir.resolve("first.yaml").toString(), System.getProperty(GatewayServer.CONFIG_PROPERTY));
                assertEquals("first", System.getProperty("GATEWAY_TEST_SETTING"));
                IllegalStateException second = assertThrows(IllegalStateException.class,
                        () -> GatewayServer.start(config("second.yaml")));
                assertTrue(second.getMessage().startsWith("another GatewayServer is open"), second.getMessage());
            }
            assertNull(System.getProperty(GatewayServer.CONFIG_PROPERTY));
            assertEquals("before", System.getProperty("GATEWAY_TEST_SETTING"));
            assertThrows(ConnectException.class, () -> connect(firstPort));
            assertNoTomcatThreadsLeft();

            try (GatewayServer second = GatewayServer.start(config("second.yaml"))) {
                assertEquals(dir.resolve("second.yaml").toString(),
                        System.getProperty(GatewayServer.CONFIG_PROPERTY));
                assertEquals("before", System.getProperty("GATEWAY_TEST_SETTING"));
                assertEquals(200, HttpProbe.get(second.uri("/health/liveliness")).statusCode());
            }
        } finally {
            System.clearProperty("GATEWAY_TEST_SETTING");
        }
    }

    @Test
    void missingConfigFailsBeforeStarting() {
        assertThrows(IllegalArgumentException.class, () -> GatewayServer.start(dir.resolve("missing.yaml")));
    }

    private Path config(String name) throws IOException {
        return Files.writeString(dir.resolve(name),
                MINIMAL_CONFIG + "  database_path: \"" + dir.resolve("data-" + name) + "\"\n");
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        }
    }

    private static void assertNoTomcatThreadsLeft() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            long left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && (t.getName().startsWith("http-nio-127.0.0.1-")
                            || t.getName().startsWith("Catalina-utility-")))
                    .count();
            if (left == 0) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, left + " Tomcat threads still alive after close()");
            Thread.sleep(50);
        }
    }
}
