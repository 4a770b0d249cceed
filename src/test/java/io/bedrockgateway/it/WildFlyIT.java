package io.bedrockgateway.it;

import io.bedrockgateway.fake.FakeBedrock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The built WAR in a real WildFly (org.wildfly:wildfly-dist, unpacked by Maven before the ITs), started here as a
 * process with its own server directory and the ports build-helper reserved, the WAR dropped into its deployment
 * scanner's directory as on a production server. WildFly serves it under {@code /bedrock-gateway} (its welcome
 * page holds {@code /}). The same checks as for Jetty, through the real AWS SDK ({@link DeployedGateway}), and the
 * {@code %2F} of inference-profile ARNs, which Undertow passes through.
 */
class WildFlyIT extends DeployedGatewayTests {
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(180);
    private static final String WAR_NAME = "bedrock-gateway.war";
    private static FakeBedrock fake;
    private static ServerProcess wildfly;
    private static DeployedGateway gateway;

    @BeforeAll
    static void deploy() throws Exception {
        fake = DeployedGateway.startFake();
        Path home = Path.of(System.getProperty("it.wildfly.home", ""));
        if (!Files.isExecutable(home.resolve("bin/standalone.sh"))) {
            fail("no WildFly at " + home + "; run the ITs with mvn verify, which unpacks it");
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "it-wildfly-run-");
        Path config = DeployedGateway.writeConfig(dir, fake);
        // A server directory of its own: deployments, data and logs of one run, never of the last.
        Path server = dir.resolve("standalone");
        ServerProcess.copyTree(home.resolve("standalone"), server);
        Path deployments = server.resolve("deployments");
        Files.copy(ItSettings.war(), deployments.resolve(WAR_NAME), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.server.base.dir=" + server.toAbsolutePath(),
                "-Djboss.http.port=" + ServerProcess.port("it.wildfly.http.port"),
                "-Djboss.https.port=" + ServerProcess.port("it.wildfly.https.port"),
                "-Djboss.management.http.port=" + ServerProcess.port("it.wildfly.management.port"),
                "-Djboss.management.https.port=" + ServerProcess.port("it.wildfly.management.https.port"));
        Map<String, String> env = builder.environment();
        env.put("JAVA_OPTS", "-Xms64m -Xmx512m -Djava.net.preferIPv4Stack=true -Dbedrock.gateway.config="
                + config.toAbsolutePath());
        env.put("LAUNCH_JBOSS_IN_BACKGROUND", "1"); // the script passes signals on to the server's JVM
        wildfly = ServerProcess.start(builder, dir.resolve("wildfly.out"));
        // The deployment scanner marks the WAR .deployed or .failed.
        wildfly.await("WildFly deploys the WAR", DEPLOY_TIMEOUT, () -> {
            Path failed = deployments.resolve(WAR_NAME + ".failed");
            if (Files.exists(failed)) {
                fail("WildFly failed the deployment: " + Files.readString(failed) + "\n" + wildfly.tail());
            }
            return Files.exists(deployments.resolve(WAR_NAME + ".deployed"));
        });
        gateway = new DeployedGateway(URI.create("http://127.0.0.1:" + ServerProcess.port("it.wildfly.http.port")
                + "/bedrock-gateway/"), fake);
    }

    @AfterAll
    static void stop() {
        if (wildfly != null) {
            wildfly.stop();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Override
    ClientGoaway clientGoaway() {
        return ClientGoaway.STREAMS_CUT; // Undertow, WildFly 39.0.1 (tomcat-conf/README.md)
    }

    @Override
    DeployedGateway gateway() {
        return gateway;
    }

    @Test
    void inferenceProfileArnKeepsItsEncodedSlash() throws Exception {
        gateway.encodedSlashReachesTheGateway();
    }
}
