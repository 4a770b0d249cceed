package io.bedrockgateway.it;

import io.bedrockgateway.fake.FakeBedrock;
import io.bedrockgateway.fake.RecordedRequest;
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
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built WAR deployed by Arquillian into an embedded Jetty 12 (ee10), the second servlet container the gateway
 * promises: under a context path that is not {@code /} (the adapter names it after the archive), with Jetty's
 * webapp class loader searching the WAR first (the Servlet spec's order, set by {@link WarFirstClassLoading}), so the
 * test JVM's copies of the gateway's classes do not stand in for the WAR's. The real AWS SDK calls through it.
 *
 * <p>Jetty's default URI compliance rejects {@code %2F} inside a path segment (inference-profile ARNs); the
 * settings that allow it are in tomcat-conf/README.md and are not covered here.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JettyArquillianIT {
    private static final String MASTER_KEY = "sk-arquillian-master";
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
        fake = new FakeBedrock().addCredentials("AKIDARQUILLIAN000001", "arquillian/secret+for/the-fake");
        fake.start();
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "it-jetty-");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                model_list:
                  - model_name: my-claude
                    litellm_params:
                      model: bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0
                      aws_region_name: us-west-2
                      aws_access_key_id: AKIDARQUILLIAN000001
                      aws_secret_access_key: arquillian/secret+for/the-fake
                      aws_bedrock_runtime_endpoint: %s
                general_settings:
                  master_key: %s
                  database_path: %s
                """.formatted(fake.endpoint(), MASTER_KEY, dir.resolve("data").toAbsolutePath()));
        System.setProperty(CONFIG_PROPERTY, config.toAbsolutePath().toString());
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

    private URI uri(String path) {
        try {
            return base.toURI().resolve(path);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private BedrockRuntimeClient runtime(String key) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(uri("bedrock"))
                .region(Region.US_WEST_2)
                .tokenProvider(StaticTokenProvider.create(() -> key))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    private static Message hi() {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build();
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

    @Test
    void sdkConverseIsReSignedForTheUpstream() {
        fake.clearRequests();
        try (BedrockRuntimeClient client = runtime(MASTER_KEY)) {
            ConverseResponse response = client.converse(r -> r.modelId("my-claude").messages(hi()));
            assertTrue(response.usage().inputTokens() > 0, response.toString());
        }
        RecordedRequest upstream = fake.requests().get(0);
        assertTrue(upstream.signatureValid(), upstream.authErrorType());
        assertEquals("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", upstream.rawPath());
    }

    /** Jetty relays the event stream frame by frame; the SDK parses every frame. */
    @Test
    void sdkConverseStreamArrivesWhole() {
        StringBuilder text = new StringBuilder();
        List<Integer> outputTokens = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(uri("bedrock"))
                .region(Region.US_WEST_2)
                .tokenProvider(StaticTokenProvider.create(() -> MASTER_KEY))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .build()) {
            client.converseStream(r -> r.modelId("my-claude").messages(hi()),
                    ConverseStreamResponseHandler.builder().subscriber(ConverseStreamResponseHandler.Visitor.builder()
                            .onContentBlockDelta(e -> text.append(e.delta().text()))
                            .onMetadata(m -> outputTokens.add(m.usage().outputTokens()))
                            .build()).build())
                    .orTimeout(30, TimeUnit.SECONDS).join();
        }
        assertEquals(String.join("", fake.expectedDeltas()), text.toString());
        assertEquals(1, outputTokens.size(), "one metadata event, with the usage");
    }

    @Test
    void anUnknownKeyGetsAnAwsShapedRefusal() {
        fake.clearRequests();
        try (BedrockRuntimeClient client = runtime("sk-not-a-key")) {
            AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                    () -> client.converse(r -> r.modelId("my-claude").messages(hi())));
            assertEquals(403, denied.statusCode());
        }
        assertEquals(List.of(), fake.requests(), "nothing reached the upstream");
    }

    @Test
    void healthAnswersUnderTheContextPath() throws Exception {
        HttpResponse<String> ready = HttpProbe.get(uri("health/readiness"));
        assertEquals(200, ready.statusCode(), ready.body());
        HttpResponse<String> health = HttpProbe.get(uri("health"));
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"upstream_connections\""), health.body());
    }
}
