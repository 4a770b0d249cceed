package io.bedrockgateway.e2e;

import io.bedrockgateway.fake.RawHttp;
import io.bedrockgateway.fake.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.bedrockgateway.fake.RawHttp.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Case by case: no client credential, gateway key, signing material, hop-by-hop or forwarding header ever reaches
 * the upstream, while Bedrock's functional headers do.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialIsolationTest {
    private static final String KEY = GatewayFixture.MASTER_KEY;
    private static final String BODY = "{\"messages\": [{\"role\": \"user\",\"content\": [{\"text\": \"Hi\"}]}]}";
    private static final String CLIENT_SIGV4 = "AWS4-HMAC-SHA256 Credential=" + KEY
            + "/20260101/us-west-2/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=deadbeef";

    /** Header names that must never appear upstream, whatever the client sent. */
    private static final List<String> NEVER_UPSTREAM = List.of("x-api-key", "x-litellm-api-key",
            "litellm_user_api_key", "cookie", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
            "x-real-ip", "via", "proxy-authorization", "x-amz-security-token", "x-hop-secret", "te", "upgrade",
            "x-end-user-id");

    private static GatewayFixture fixture;

    @BeforeAll
    static void start() throws IOException {
        fixture = GatewayFixture.start(null);
    }

    @AfterAll
    static void stop() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Map<String, List<Map.Entry<String, String>>> cases() {
        Map<String, List<Map.Entry<String, String>>> cases = new LinkedHashMap<>();
        cases.put("bearer", List.of(h("Authorization", "Bearer " + KEY)));
        cases.put("x-api-key", List.of(h("x-api-key", KEY)));
        cases.put("x-litellm-api-key", List.of(h("x-litellm-api-key", KEY)));
        cases.put("litellm_user_api_key", List.of(h("litellm_user_api_key", KEY)));
        cases.put("x-api-key with Bearer prefix", List.of(h("x-api-key", "Bearer " + KEY)));
        cases.put("client sigv4 with its own signing headers", List.of(h("Authorization", CLIENT_SIGV4),
                h("X-Amz-Date", "20000101T000000Z"), h("X-Amz-Security-Token", "client-session-token-SECRET"),
                h("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")));
        cases.put("key in two places", List.of(h("Authorization", "Bearer " + KEY), h("x-api-key", KEY),
                h("X-Custom-Token", KEY)));
        cases.put("hop-by-hop and forwarding", List.of(h("Authorization", "Bearer " + KEY),
                h("Connection", "keep-alive, X-Hop-Secret"), h("X-Hop-Secret", "hop-value"),
                h("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"), h("Forwarded", "for=10.0.0.1"),
                h("X-Forwarded-For", "10.0.0.1"), h("X-Forwarded-Host", "internal"), h("X-Forwarded-Proto", "https"),
                h("X-Real-IP", "10.0.0.1"), h("Via", "1.1 corp-proxy"), h("Cookie", "session=abc"),
                h("TE", "trailers"), h("x-end-user-id", "alice")));
        return cases;
    }

    @Test
    void noClientCredentialOrTransportHeaderReachesUpstream() throws IOException {
        for (Map.Entry<String, List<Map.Entry<String, String>>> testCase : cases().entrySet()) {
            fixture.fake.clearRequests();
            List<Map.Entry<String, String>> headers = new ArrayList<>(testCase.getValue());
            headers.add(h("Host", "gateway.internal:4000"));
            headers.add(h("Content-Type", "application/json"));
            headers.add(h("Accept", "application/json"));
            headers.add(h("X-Amzn-Bedrock-GuardrailIdentifier", "gr-abc123"));
            headers.add(h("X-Amzn-Bedrock-GuardrailVersion", "1"));
            headers.add(h("X-Amzn-Bedrock-Trace", "ENABLED"));
            headers.add(h("Content-Length", String.valueOf(BODY.length())));
            RawHttp.Response response;
            try (RawHttp http = new RawHttp(fixture.gateway.port())) {
                response = http.exchange("POST", "/bedrock/model/my-claude/converse", headers,
                        BODY.getBytes(StandardCharsets.UTF_8));
            }
            String name = testCase.getKey();
            assertEquals(200, response.status(), name + ": " + response.bodyText());

            List<RecordedRequest> upstream = fixture.fake.requests();
            assertEquals(1, upstream.size(), name);
            RecordedRequest request = upstream.get(0);
            assertTrue(request.signatureValid(), name + ": " + request.authErrorType());
            assertEquals(GatewayFixture.GATEWAY_ACCESS_KEY, request.accessKeyId(), name);
            for (Map.Entry<String, String> header : request.headers()) {
                String lower = header.getKey().toLowerCase(Locale.ROOT);
                assertFalse(header.getValue().contains(KEY), name + ": key leaked in " + header.getKey());
                assertFalse(NEVER_UPSTREAM.contains(lower), name + ": forwarded " + header.getKey());
                assertFalse(header.getValue().contains("20000101T000000Z"), name + ": client X-Amz-Date forwarded");
                assertFalse(header.getValue().contains("client-session-token-SECRET"), name + ": token forwarded");
                assertFalse(header.getValue().contains("gateway.internal"), name + ": client Host forwarded");
            }
            assertEquals(1, request.headerValues("Authorization").size(), name);
            assertTrue(request.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential="
                    + GatewayFixture.GATEWAY_ACCESS_KEY + "/"), name);
            assertEquals("gr-abc123", request.header("X-Amzn-Bedrock-GuardrailIdentifier"), name);
            assertEquals("1", request.header("X-Amzn-Bedrock-GuardrailVersion"), name);
            assertEquals("ENABLED", request.header("X-Amzn-Bedrock-Trace"), name);
            assertEquals("application/json", request.header("Accept"), name);
        }
    }
}
