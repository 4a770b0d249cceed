package io.bedrockgateway.it;

import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAR in a real standalone Tomcat 10.1 (org.apache.tomcat:tomcat zip), started by Cargo before the ITs with our
 * {@code tomcat-conf/server.xml} and {@code context.xml}. h2c and the {@code %2F} path only work with our
 * server.xml: Cargo's own has no UpgradeProtocol, and Tomcat's default rejects {@code %2F} with 400.
 */
class StandaloneTomcatIT {

    @Test
    void healthEndpointsAnswer() throws Exception {
        HttpResponse<String> live = HttpProbe.get(ItSettings.standaloneUri("/health/liveliness"));
        assertEquals(200, live.statusCode());
        assertEquals("\"I'm alive!\"", live.body());

        HttpResponse<String> ready = HttpProbe.get(ItSettings.standaloneUri("/health/readiness"));
        assertEquals(200, ready.statusCode(), ready.body());
    }

    @Test
    void servesH2cByUpgrade() throws Exception {
        HttpResponse<String> response = HttpProbe.getWithH2cUpgrade(ItSettings.standaloneUri("/health/liveliness"));
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
    }

    @Test
    void servesH2cByPriorKnowledge() throws Exception {
        SimpleHttpResponse response = HttpProbe.getWithH2cPriorKnowledge(
                ItSettings.standaloneUri("/health/liveliness"));
        assertEquals(200, response.getCode());
    }

    @Test
    void encodedSlashInAnArnReachesTheWebapp() throws Exception {
        HttpResponse<String> response = HttpProbe.get(ItSettings.standaloneUri(HttpProbe.ARN_CONVERSE_PATH));
        assertNotEquals(400, response.statusCode(), "Tomcat rejected %2F: " + response.body());
    }

    @Test
    void runsWithOurTomcatConf() throws IOException {
        Path conf = ItSettings.tomcatBase().resolve("conf");
        for (String name : new String[] {"server.xml", "context.xml"}) {
            assertArrayEquals(Files.readAllBytes(Path.of("tomcat-conf", name)), Files.readAllBytes(conf.resolve(name)),
                    name + " differs from tomcat-conf/" + name);
        }
        assertTrue(Files.isReadable(conf.resolve("bedrock-gateway.yaml")), "context.xml's default config path");
        try (Stream<Path> logs = Files.list(ItSettings.tomcatBase().resolve("logs"))) {
            assertTrue(logs.anyMatch(p -> p.getFileName().toString().startsWith("bedrock-gateway_access.")),
                    "server.xml's access log");
        }
    }
}
