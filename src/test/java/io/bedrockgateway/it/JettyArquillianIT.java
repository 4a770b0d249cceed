package io.bedrockgateway.it;

import io.bedrockgateway.fake.FakeBedrock;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built WAR deployed by Arquillian into an embedded Jetty 12 (ee10), the second servlet container the gateway
 * promises: under a context path that is not {@code /} (the adapter names it after the archive), with Jetty's
 * webapp class loader searching the WAR first (the Servlet spec's order, set by {@link WarFirstClassLoading}), so the
 * test JVM's copies of the gateway's classes do not stand in for the WAR's. The real AWS SDK calls through it
 * ({@link DeployedGateway}).
 *
 * <p>Jetty's default URI compliance rejects {@code %2F} inside a path segment (inference-profile ARNs); the
 * settings that allow it are in tomcat-conf/README.md and are not covered here.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JettyArquillianIT extends DeployedGatewayTests {
    private static final String CONFIG_PROPERTY = "bedrock.gateway.config";
    private static FakeBedrock fake;

    @ArquillianResource
    private URL base;

    /**
     * Called by Arquillian before it deploys, so the upstream fake and the config the webapp reads at start-up are
     * made here: the gateway finds its config through the {@code bedrock.gateway.config} system property.
     */
    @Deployment(testable = false)
    static WebArchive war() throws IOException {
        fake = DeployedGateway.startFake();
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "it-jetty-");
        System.setProperty(CONFIG_PROPERTY, DeployedGateway.writeConfig(dir, fake).toAbsolutePath().toString());
        return ShrinkWrap.createFromZipFile(WebArchive.class, ItSettings.war().toFile());
    }

    @BeforeAll
    static void deployed() {
        System.clearProperty(CONFIG_PROPERTY); // read at start-up; other ITs in this JVM must not see it
    }

    @AfterAll
    static void stopFake() {
        if (fake != null) {
            fake.close();
        }
    }

    @Override
    ClientGoaway clientGoaway() {
        return ClientGoaway.NO_H2C; // the adapter's embedded Jetty has no h2c connector
    }

    @Override
    DeployedGateway gateway() throws URISyntaxException {
        return new DeployedGateway(base.toURI(), fake);
    }

    @Test
    void deployedUnderItsOwnContextPath() {
        assertTrue(base.getPath().length() > 1, "the adapter deploys under the archive's name, not /: " + base);
    }

    /**
     * The gateway's MBean, registered by the webapp, was loaded by Jetty's webapp class loader from the WAR, not by
     * the test JVM's class path, which holds the same classes.
     */
    @Test
    void runsTheWarsOwnClasses() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String context = base.getPath().replaceAll("/$", "");
        ObjectName name = new ObjectName("io.bedrockgateway:type=Gateway,context=" + ObjectName.quote(context));
        assertTrue(server.isRegistered(name), name + " among " + server.queryNames(
                new ObjectName("io.bedrockgateway:*"), null));
        ClassLoader loader = server.getClassLoaderFor(name);
        assertNotSame(getClass().getClassLoader(), loader);
        assertEquals("org.eclipse.jetty.ee10.webapp.WebAppClassLoader", loader.getClass().getName());
    }
}
