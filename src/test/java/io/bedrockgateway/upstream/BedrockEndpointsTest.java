package io.bedrockgateway.upstream;

import io.bedrockgateway.routing.BedrockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BedrockEndpointsTest {

    @Test
    void regionalHostsPerPartition() {
        assertEquals(URI.create("https://bedrock-runtime.us-west-2.amazonaws.com"),
                BedrockEndpoints.regional(BedrockService.RUNTIME, "us-west-2"));
        assertEquals(URI.create("https://bedrock-agent-runtime.eu-central-1.amazonaws.com"),
                BedrockEndpoints.regional(BedrockService.AGENT_RUNTIME, "eu-central-1"));
        assertEquals(URI.create("https://bedrock-runtime.cn-north-1.amazonaws.com.cn"),
                BedrockEndpoints.regional(BedrockService.RUNTIME, "cn-north-1"));
        assertEquals(URI.create("https://bedrock-runtime.us-gov-west-1.amazonaws.com"),
                BedrockEndpoints.regional(BedrockService.RUNTIME, "us-gov-west-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-7", "eusc-de-east-1",
            "us-iso-east-1", "il-central-1"})
    void validRegions(String region) {
        assertTrue(BedrockEndpoints.isValidRegion(region));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "US-EAST-1", "useast1", "us-east", "evil.com#", "us-east-1.evil.com", "us east 1",
            "us-east-1/x"})
    void invalidRegionsNeverBecomeHosts(String region) {
        assertFalse(BedrockEndpoints.isValidRegion(region));
        assertThrows(IllegalArgumentException.class, () -> BedrockEndpoints.regional(BedrockService.RUNTIME, region));
    }

    @Test
    void overridesAreNormalised() {
        assertEquals(URI.create("http://localhost:4566"), BedrockEndpoints.parseOverride("http://localhost:4566/"));
        assertEquals(URI.create("https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com"),
                BedrockEndpoints.parseOverride(" https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com "));
        assertEquals(URI.create("http://[::1]:8080"), BedrockEndpoints.parseOverride("HTTP://[::1]:8080"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:4566", "ftp://host", "https://", "https://host/path", "https://host?x=1",
            "https://host#f", "https://user:pw@host", "not a uri", "/relative"})
    void badOverridesAreRefusedWithoutEchoingThem(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BedrockEndpoints.parseOverride(value));
        assertFalse(e.getMessage().contains("pw"));
    }

    @Test
    void regionOfArn() {
        assertEquals("us-west-2", BedrockEndpoints.regionOfArn(
                "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0"));
        assertEquals("cn-north-1", BedrockEndpoints.regionOfArn("arn:aws-cn:bedrock:cn-north-1:1:foundation-model/x"));
        assertNull(BedrockEndpoints.regionOfArn("anthropic.claude-3-haiku-20240307-v1:0"));
        assertNull(BedrockEndpoints.regionOfArn("arn:aws:bedrock:evil.com#:1:x/y"));
        assertNull(BedrockEndpoints.regionOfArn("arn:aws:bedrock"));
        assertNull(BedrockEndpoints.regionOfArn(null));
    }
}
