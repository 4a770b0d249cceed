package io.bedrockgateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockgateway.fake.Fault;
import io.bedrockgateway.fake.FaultRule;
import io.bedrockgateway.fake.RecordedRequest;
import io.bedrockgateway.fake.RequestMatcher;
import io.bedrockgateway.fake.Usage;
import io.bedrockgateway.testing.NodeSdk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AWS SDK for JavaScript v3 ({@code @aws-sdk/client-bedrock-runtime} and {@code client-bedrock-agent-runtime},
 * versions pinned in {@code src/test/js/sdk-check/package.json}) against the gateway, as a Node.js application uses
 * it: the gateway key in {@code AWS_BEARER_TOKEN_BEDROCK}, the endpoint changed to the gateway's {@code /bedrock}.
 * The script ({@code check.mjs}) makes Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream, a call
 * with a wrong key and an agent-runtime Retrieve, and prints what the SDK parsed; the fake checks every upstream
 * signature. The SDK sends its event-stream calls over h2c, each on a connection of its own that it starts closing
 * with {@code GOAWAY} as soon as the response head arrives.
 *
 * <p>Needs {@code node} and {@code npm} on the PATH (skipped without them); {@link NodeSdk} installs the SDK.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JavaScriptSdkTest {
    private static GatewayFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(NodeSdk.available(), "node and npm are not on the PATH");
        NodeSdk.install();
        fixture = GatewayFixture.start(null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theJavaScriptSdkParsesEveryAnswerAndStreamAndTheGatewayResigns() throws Exception {
        // Frames 20 ms apart: the SDK's GOAWAY, sent as each stream's head arrives, lands while the stream is open,
        // as it does with every real stream. Stock Tomcat h2c then cut the stream (GracefulGoawayHttp2Protocol).
        fixture.fake.addFault(RequestMatcher.streaming(), Fault.slowStream(Duration.ofMillis(20)), FaultRule.ALWAYS);
        NodeSdk.Result check = NodeSdk.node("check.mjs", List.of(fixture.bedrockEndpoint().toString(), "my-claude"),
                Map.of("AWS_BEARER_TOKEN_BEDROCK", GatewayFixture.MASTER_KEY), 60);
        assertEquals(0, check.exit(), check.output());
        String json = check.lastJsonLine();
        JsonNode result = new ObjectMapper().readTree(json);

        assertFalse(result.at("/converse/text").asText().isEmpty(), json);
        assertEquals(Usage.DEFAULT_INPUT_TOKENS, result.at("/converse/inputTokens").asInt(), json);
        assertEquals(String.join("", fixture.fake.expectedDeltas()), result.at("/converseStream/text").asText());
        assertEquals(Usage.DEFAULT_OUTPUT_TOKENS, result.at("/converseStream/outputTokens").asInt(), json);
        assertTrue(result.at("/invokeModel/usage").isObject(), json);
        JsonNode chunkTypes = result.at("/invokeModelWithResponseStream/chunkTypes");
        assertTrue(chunkTypes.size() >= 3, json);
        assertEquals("message_start", chunkTypes.get(0).asText(), json);
        assertEquals("AccessDeniedException", result.at("/wrongKey/error").asText(), json);
        assertEquals(403, result.at("/wrongKey/status").asInt(), json);
        assertTrue(result.at("/retrieve/results").asInt() > 0, json);

        List<RecordedRequest> upstream = fixture.fake.requests();
        assertEquals(5, upstream.size(), "the wrong key never reaches upstream: " + upstream);
        for (RecordedRequest request : upstream) {
            assertTrue(request.signatureValid(), request.rawPath() + ": " + request.authErrorType());
            for (Map.Entry<String, String> header : request.headers()) {
                assertFalse(header.getValue().contains(GatewayFixture.MASTER_KEY),
                        "the gateway key went upstream in " + header.getKey());
            }
        }
        List<String> paths = upstream.stream().map(RecordedRequest::rawPath).toList();
        String model = "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/";
        assertEquals(List.of(model + "converse", model + "converse-stream", model + "invoke",
                model + "invoke-with-response-stream", "/knowledgebases/KB12345678/retrieve"), paths);
        assertEquals(GatewayFixture.GATEWAY_ACCESS_KEY, upstream.get(0).accessKeyId());
    }
}
