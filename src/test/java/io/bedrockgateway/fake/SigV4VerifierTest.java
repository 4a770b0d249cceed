package io.bedrockgateway.fake;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier against AWS's published SigV4 test-suite vectors, and its canonicalisation rules. */
class SigV4VerifierTest {
    private static final String KEY = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");
    private static final SigV4Verifier VERIFIER = new SigV4Verifier("service");

    @Test
    void getVanilla() {
        assertTrue(verify("GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31").ok());
    }

    @Test
    void getVanillaQueryOrderKeyCase() {
        assertTrue(verify("GET", "/?Param2=value2&Param1=value1",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500").ok());
    }

    @Test
    void postVanilla() {
        assertTrue(verify("POST", "/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b").ok());
    }

    @Test
    void mismatchExplainsTheCanonicalRequestAndStringToSign() {
        AuthResult result = verify("GET", "/", "0".repeat(64));
        assertFalse(result.ok());
        assertEquals("InvalidSignatureException", result.error().type());
        assertTrue(result.error().message().contains("The Canonical String for this request should have been\n"
                + "'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'"), result.error().message());
        assertTrue(result.error().message().contains("The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n"
                + "20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63'"), result.error().message());
    }

    @Test
    void canonicalUriEncodesTheReceivedPathOnceMore() {
        assertEquals("/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse",
                SigV4Encoding.canonicalUri("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"));
        assertEquals("/model/a.b-v1%3A0/converse", SigV4Encoding.canonicalUri("/model/a.b-v1:0/converse"));
        assertEquals("/sessions/", SigV4Encoding.canonicalUri("/sessions/"));
        assertEquals("/a/c", SigV4Encoding.canonicalUri("/a/./b/../c"));
        assertEquals("/", SigV4Encoding.canonicalUri(""));
    }

    @Test
    void canonicalQuerySortsAndReencodes() {
        assertEquals("a=1&a=2&b=x%20y&c=&d=%3A",
                SigV4Encoding.canonicalQuery("d=%3a&b=x%20y&a=2&c&a=1"));
        assertEquals("", SigV4Encoding.canonicalQuery(""));
    }

    @Test
    void skewBeyondFiveMinutesIsRejected() {
        RawRequest request = request("GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        AuthResult late = VERIFIER.verify(request, id -> new SigV4Verifier.Credential(SECRET, null), null,
                SIGNED_AT.plusSeconds(301));
        assertEquals("InvalidSignatureException", late.error().type());
        assertTrue(late.error().message().startsWith("Signature expired"));
        AuthResult early = VERIFIER.verify(request, id -> new SigV4Verifier.Credential(SECRET, null), null,
                SIGNED_AT.minusSeconds(301));
        assertTrue(early.error().message().startsWith("Signature not yet current"));
    }

    @Test
    void scopeChecks() {
        RawRequest request = request("GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertEquals("UnrecognizedClientException",
                VERIFIER.verify(request, id -> null, null, SIGNED_AT).error().type());
        assertEquals("InvalidSignatureException", VERIFIER.verify(request,
                id -> new SigV4Verifier.Credential(SECRET, null), "us-west-2", SIGNED_AT).error().type());
        assertEquals("InvalidSignatureException", new SigV4Verifier("bedrock").verify(request,
                id -> new SigV4Verifier.Credential(SECRET, null), null, SIGNED_AT).error().type());
        assertEquals("UnrecognizedClientException", VERIFIER.verify(request,
                id -> new SigV4Verifier.Credential(SECRET, "token"), null, SIGNED_AT).error().type());
    }

    private static AuthResult verify(String method, String target, String signature) {
        return VERIFIER.verify(request(method, target, signature),
                id -> KEY.equals(id) ? new SigV4Verifier.Credential(SECRET, null) : null, null, SIGNED_AT);
    }

    private static RawRequest request(String method, String target, String signature) {
        List<Map.Entry<String, String>> headers = List.of(
                new AbstractMap.SimpleImmutableEntry<>("Host", "example.amazonaws.com"),
                new AbstractMap.SimpleImmutableEntry<>("X-Amz-Date", "20150830T123600Z"),
                new AbstractMap.SimpleImmutableEntry<>("Authorization", "AWS4-HMAC-SHA256 Credential=" + KEY
                        + "/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                        + signature));
        return new RawRequest(method, target, "HTTP/1.1", headers, "".getBytes(StandardCharsets.UTF_8), 1);
    }
}
