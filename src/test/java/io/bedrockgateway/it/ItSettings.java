package io.bedrockgateway.it;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What Maven passes to the ITs (failsafe {@code systemPropertyVariables} in pom.xml): ports reserved by
 * build-helper's {@code reserve-network-port}, and paths of the build. Immutable.
 */
public final class ItSettings {
    private ItSettings() {
    }

    /** The standalone Tomcat's HTTP port (server.xml gets it as {@code -Dbedrock.gateway.port}). */
    public static int gatewayPort() {
        return Integer.parseInt(required("it.gateway.port"));
    }

    /** A free port for a fake Bedrock upstream in the IT JVM; the ITs' gateway config points at it. */
    public static int fakePort() {
        return Integer.parseInt(required("it.fake.port"));
    }

    /** {@code http://127.0.0.1:<it.gateway.port>} + {@code path}. */
    public static URI standaloneUri(String path) {
        return URI.create("http://127.0.0.1:" + gatewayPort() + path);
    }

    /** target/bedrock-gateway.war. */
    public static Path war() {
        return existing("it.war");
    }

    /** The ITs' gateway config, filtered with the reserved ports. */
    public static Path config() {
        return existing("it.config");
    }

    /** The standalone Tomcat's CATALINA_BASE, as Cargo configured it. */
    public static Path tomcatBase() {
        return existing("it.tomcat.base");
    }

    public static Duration startupTimeout() {
        return Duration.ofSeconds(Long.parseLong(System.getProperty("it.startup.timeout", "30")));
    }

    private static Path existing(String name) {
        Path path = Path.of(required(name));
        if (!Files.exists(path)) {
            throw new IllegalStateException(name + " does not exist: " + path);
        }
        return path;
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the ITs with mvn verify");
        }
        return value;
    }
}
