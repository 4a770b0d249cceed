package io.bedrockgateway.spend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ModelIdsTest {

    @Test
    void idAsGivenComesFirstThenSuffixesThenRegionPrefix() {
        assertEquals(List.of("us.anthropic.claude-3-5-sonnet-20240620-v1:0", "us.anthropic.claude-3-5-sonnet-20240620-v1",
                        "anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic.claude-3-5-sonnet-20240620-v1"),
                ModelIds.candidates("us.anthropic.claude-3-5-sonnet-20240620-v1:0"));
        assertEquals(List.of("anthropic.claude-v2:1:18k", "anthropic.claude-v2:1", "anthropic.claude-v2"),
                ModelIds.candidates("anthropic.claude-v2:1:18k"));
        assertEquals(List.of("amazon.nova-pro-v1:0:300k", "amazon.nova-pro-v1:0", "amazon.nova-pro-v1"),
                ModelIds.candidates("Amazon.Nova-Pro-v1:0:300K"));
        assertEquals(List.of("meta.llama3-2-11b-instruct-v1:0:mm", "meta.llama3-2-11b-instruct-v1:0",
                "meta.llama3-2-11b-instruct-v1"), ModelIds.candidates("meta.llama3-2-11b-instruct-v1:0:mm"));
        assertEquals(List.of("openai.gpt-5.4"), ModelIds.candidates("openai.gpt-5.4"));
    }

    @Test
    void everyCrossRegionPrefixIsKnown() {
        for (String prefix : List.of("us.", "eu.", "apac.", "jp.", "au.", "ca.", "in.", "us-gov.", "global.")) {
            List<String> candidates = ModelIds.candidates(prefix + "anthropic.claude-x");
            assertEquals(List.of(prefix + "anthropic.claude-x", "anthropic.claude-x"), candidates, prefix);
        }
        // Not a region prefix: left alone.
        assertEquals(List.of("usa.anthropic.claude-x"), ModelIds.candidates("usa.anthropic.claude-x"));
    }

    @Test
    void arnsNameTheirModel() {
        assertEquals("us.anthropic.claude-3-5-sonnet-20240620-v1:0", ModelIds.baseId(
                "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0"));
        assertEquals("anthropic.claude-v2",
                ModelIds.baseId("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2"));
        assertEquals("anthropic.claude-3-haiku-20240307-v1:0", ModelIds.baseId(
                "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"));
    }

    @Test
    void arnsWithoutAModelIdAndBlanksNameNothing() {
        assertNull(ModelIds.baseId("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3"));
        assertNull(ModelIds.baseId("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc"));
        assertNull(ModelIds.baseId("arn:aws:bedrock:us-east-1"));
        assertNull(ModelIds.baseId("  "));
        assertNull(ModelIds.baseId(null));
        assertEquals(List.of(), ModelIds.candidates("arn:aws:bedrock:us-east-1:1:custom-model/x"));
    }

    @Test
    void liteLlmStringsLoseTheirProviderAndRoute() {
        assertEquals("anthropic.claude-3-haiku-20240307-v1:0",
                ModelIds.baseId("bedrock/converse/anthropic.claude-3-haiku-20240307-v1:0"));
        assertEquals("anthropic.claude-v2", ModelIds.baseId("bedrock/arn:aws:bedrock:us-east-1::foundation-model/"
                + "anthropic.claude-v2"));
    }
}
