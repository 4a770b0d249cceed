package io.bedrockgateway.it;

import io.bedrockgateway.fake.FakeBedrock;
import io.bedrockgateway.fake.RecordedRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private static final String MASTER_KEY = "sk-test-master";
    private static FakeBedrock fake;

    @BeforeAll
    static void startFake() {
        fake = new FakeBedrock().addCredentials("AKIDITDEPLOYMENT0001", "it/secret+for/the-fake");
        fake.start(ItSettings.fakePort());
    }

    @AfterAll
    static void stopFake() {
        if (fake != null) {
            fake.close();
        }
    }

    private static URI bedrock() {
        return ItSettings.standaloneUri("/bedrock");
    }

    /** The real SDK, bearer auth with the gateway key, through the deployed WAR to the fake. */
    @Test
    void sdkConverseThroughTheDeployedWar() {
        fake.clearRequests();
        try (BedrockRuntimeClient client = BedrockRuntimeClient.builder()
                .endpointOverride(bedrock())
                .region(Region.US_WEST_2)
                .tokenProvider(StaticTokenProvider.create(() -> MASTER_KEY))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build()) {
            ConverseResponse response = client.converse(r -> r.modelId("my-claude").messages(
                    Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build()));
            assertTrue(response.usage().inputTokens() > 0);
        }
        RecordedRequest upstream = fake.requests().get(0);
        assertTrue(upstream.signatureValid(), upstream.authErrorType());
        assertEquals("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", upstream.rawPath());
    }

    /** The async SDK's default transport for http:// is h2c with prior knowledge: tomcat-conf must serve it. */
    @Test
    void sdkConverseStreamOverH2cThroughTheDeployedWar() {
        StringBuilder text = new StringBuilder();
        try (BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(bedrock())
                .region(Region.US_WEST_2)
                .tokenProvider(StaticTokenProvider.create(() -> MASTER_KEY))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2))
                .build()) {
            client.converseStream(r -> r.modelId("my-claude").messages(
                            Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Hi")).build()),
                    ConverseStreamResponseHandler.builder().subscriber(ConverseStreamResponseHandler.Visitor.builder()
                            .onContentBlockDelta(e -> text.append(e.delta().text())).build()).build())
                    .orTimeout(30, TimeUnit.SECONDS).join();
        }
        assertEquals(String.join("", fake.expectedDeltas()), text.toString());
    }

    /**
     * The JavaScript SDK's {@code GOAWAY} at the head of each event stream (see {@link DeployedGatewayTests}): with
     * tomcat-conf's {@code GracefulGoawayHttp2Protocol} the streams finish (with Tomcat's own, all 5 were cut).
     */
    @Test
    void javaScriptSdkStreamsOverH2cArriveWhole() throws Exception {
        DeployedGateway.JsStreams streams = DeployedGateway.javaScriptSdkStreams(bedrock(), MASTER_KEY, fake, 5);
        assertEquals(5, streams.whole(), streams.toString());
    }

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
