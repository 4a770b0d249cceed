package io.bedrockgateway.it;

import io.bedrockgateway.fake.FakeBedrock;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The built WAR in a standalone Jetty 12.1 (org.eclipse.jetty:jetty-home, unpacked by Maven before the ITs), set up
 * exactly as tomcat-conf/README.md tells an operator: {@code start.jar --add-modules=server,http,http2c,ee10-deploy}
 * in a fresh {@code jetty.base}, the URI compliance that lets {@code %2F} through, the WAR as {@code ROOT.war} with
 * its {@code ROOT.xml}. The same SDK checks as on the other containers ({@link DeployedGateway}), and h2c.
 */
class StandaloneJettyIT extends DeployedGatewayTests {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static FakeBedrock fake;
    private static ServerProcess jetty;
    private static DeployedGateway gateway;

    @BeforeAll
    static void deploy() throws Exception {
        fake = DeployedGateway.startFake();
        Path home = Path.of(System.getProperty("it.jetty.home", ""));
        if (!Files.isRegularFile(home.resolve("start.jar"))) {
            fail("no jetty-home at " + home + "; run the ITs with mvn verify, which unpacks it");
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "it-jetty-base-")
                .toAbsolutePath();
        Path config = DeployedGateway.writeConfig(dir, fake);
        Path base = Files.createDirectories(dir.resolve("base"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String startJar = home.resolve("start.jar").toString();

        Process setup = new ProcessBuilder(java, "-jar", startJar, "jetty.base=" + base,
                "--add-modules=server,http,http2c,ee10-deploy")
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("setup.out").toFile()).start();
        assertTrue(setup.waitFor(60, TimeUnit.SECONDS), "start.jar --add-modules did not finish");
        assertEquals(0, setup.exitValue(), Files.readString(dir.resolve("setup.out")));
        // The two settings tomcat-conf/README.md gives for %2F in a path segment.
        Files.writeString(base.resolve("start.d/server.ini"),
                "\njetty.httpConfig.uriCompliance=DEFAULT,AMBIGUOUS_PATH_SEPARATOR\n", StandardOpenOption.APPEND);
        Files.copy(ItSettings.war(), base.resolve("webapps/ROOT.war"));
        Files.writeString(base.resolve("webapps/ROOT.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
                <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
                  <Set name="contextPath">/</Set>
                  <Set name="war"><Property name="jetty.webapps"/>/ROOT.war</Set>
                  <Get name="servletHandler"><Set name="decodeAmbiguousURIs">true</Set></Get>
                </Configure>
                """);

        int port = ServerProcess.port("it.jetty.port");
        jetty = ServerProcess.start(new ProcessBuilder(java, "-Xmx512m",
                        "-Dbedrock.gateway.config=" + config.toAbsolutePath(), "-jar", startJar,
                        "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port)
                        .directory(base.toFile()),
                dir.resolve("jetty.out"));
        gateway = new DeployedGateway(URI.create("http://127.0.0.1:" + port + "/"), fake);
        jetty.await("Jetty answers readiness", START_TIMEOUT,
                () -> HttpProbe.get(gateway.uri("health/readiness")).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (jetty != null) {
            jetty.stop();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Override
    DeployedGateway gateway() {
        return gateway;
    }

    /** With the documented settings, an inference-profile ARN's {@code %2F} reaches the gateway. */
    @Test
    void inferenceProfileArnKeepsItsEncodedSlash() throws Exception {
        gateway.encodedSlashReachesTheGateway();
    }

    /** The http2c module: a connection that opens with the HTTP/2 preface, as the JavaScript SDK's does. */
    @Test
    void servesH2cByPriorKnowledge() throws Exception {
        SimpleHttpResponse response = HttpProbe.getWithH2cPriorKnowledge(gateway.uri("health/liveliness"));
        assertEquals(200, response.getCode());
    }
}
