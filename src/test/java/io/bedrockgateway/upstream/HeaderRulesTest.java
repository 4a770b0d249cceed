package io.bedrockgateway.upstream;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderRulesTest {

    @Test
    void dropsCredentialsSigningMaterialHopByHopAndForwardingHeaders() {
        for (String header : List.of("authorization", "x-api-key", "x-litellm-api-key", "litellm_user_api_key",
                "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "x-amz-user-agent", "host",
                "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                "proxy-authorization", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip", "via",
                "cookie", "accept-encoding", "http2-settings")) {
            assertFalse(HeaderRules.forwardUpstream(header, Set.of()), header);
        }
    }

    @Test
    void keepsBedrockFunctionalHeaders() {
        for (String header : List.of("content-type", "accept", "x-amzn-bedrock-guardrailidentifier",
                "x-amzn-bedrock-guardrailversion", "x-amzn-bedrock-trace", "x-amzn-bedrock-performanceconfig-latency",
                "user-agent", "amz-sdk-invocation-id")) {
            assertTrue(HeaderRules.forwardUpstream(header, Set.of()), header);
        }
    }

    @Test
    void dropsHeadersNamedInConnection() {
        Set<String> tokens = HeaderRules.connectionTokens(Collections.enumeration(List.of("keep-alive, X-Custom-Hop")));
        assertEquals(Set.of("keep-alive", "x-custom-hop"), tokens);
        assertFalse(HeaderRules.forwardUpstream("x-custom-hop", tokens));
        assertFalse(HeaderRules.relayDownstream("x-custom-hop", tokens));
    }

    @Test
    void relaysAwsResponseHeadersButNotHopByHop() {
        assertTrue(HeaderRules.relayDownstream("x-amzn-requestid", Set.of()));
        assertTrue(HeaderRules.relayDownstream("x-amzn-errortype", Set.of()));
        assertTrue(HeaderRules.relayDownstream("x-amzn-bedrock-input-token-count", Set.of()));
        assertFalse(HeaderRules.relayDownstream("transfer-encoding", Set.of()));
        assertFalse(HeaderRules.relayDownstream("connection", Set.of()));
    }
}
