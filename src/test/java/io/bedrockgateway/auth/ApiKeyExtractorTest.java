package io.bedrockgateway.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyExtractorTest {

    @Test
    void bearerToken() {
        PresentedKey key = ApiKeyExtractor.fromAuthorization("Bearer sk-abc").orElseThrow();
        assertEquals("sk-abc", key.value());
        assertEquals("bearer", key.source());
        assertEquals("authorization", key.header());
    }

    @Test
    void sigV4AccessKeyPosition() {
        String header = "AWS4-HMAC-SHA256 Credential=sk-gateway-key/20260101/us-west-2/bedrock/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=abcdef";
        PresentedKey key = ApiKeyExtractor.fromAuthorization(header).orElseThrow();
        assertEquals("sk-gateway-key", key.value());
        assertEquals("sigv4", key.source());
    }

    @Test
    void emptyOrForeignSchemesGiveNothing() {
        assertEquals(Optional.empty(), ApiKeyExtractor.fromAuthorization("Bearer   "));
        assertEquals(Optional.empty(), ApiKeyExtractor.fromAuthorization("Basic dXNlcjpwYXNz"));
        assertEquals(Optional.empty(), ApiKeyExtractor.fromAuthorization("AWS4-HMAC-SHA256 Credential=/2026/x"));
    }

    @Test
    void masterKeyVerifierComparesExactly() {
        MasterKeyVerifier verifier = new MasterKeyVerifier("sk-master");
        assertTrue(verifier.verify(new PresentedKey("sk-master", "bearer", "authorization")).orElseThrow().master());
        assertTrue(verifier.verify(new PresentedKey("sk-master ", "bearer", "authorization")).isEmpty());
        assertTrue(verifier.verify(new PresentedKey("sk-maste", "bearer", "authorization")).isEmpty());
        assertTrue(MasterKeyVerifier.generate().startsWith("sk-"));
    }
}
