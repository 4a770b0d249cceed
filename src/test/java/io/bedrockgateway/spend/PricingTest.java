package io.bedrockgateway.spend;

import io.bedrockgateway.routing.Deployment;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.bedrockgateway.spend.TestDeployments.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PricingTest {
    private static final Pricing PRICING = Pricing.withDefaultTable();

    private static void assertCost(String expectedUsd, PricedUsage priced) {
        assertFalse(priced.priceUnknown(), "price unknown");
        assertEquals(0, new BigDecimal(expectedUsd).compareTo(priced.cost()),
                "expected " + expectedUsd + " but was " + priced.cost());
        assertTrue(priced.cost().scale() >= PricedUsage.MIN_SCALE);
    }

    private static PricedUsage rawModel(String modelId, Usage usage) {
        return PRICING.price(deployment("passthrough", null, modelId, Map.of()), modelId, usage);
    }

    @Test
    void claudeWithCacheTokens() {
        // 1200 × 3 + 345 × 15 + 100 × 0.30 + 50 × 3.75 = 8992.5 USD per million tokens
        assertCost("0.0089925", rawModel("us.anthropic.claude-3-5-sonnet-20240620-v1:0", new Usage(1200, 345, 100, 50)));
        // Global Sonnet 4.5 at 3 / 15: 1M × 3 + 1000 × 15; the geographic profile at 3.3 / 16.5.
        assertCost("3.015", rawModel("global.anthropic.claude-sonnet-4-5-20250929-v1:0", new Usage(1_000_000, 1000, 0, 0)));
        assertCost("3.3165", rawModel("us.anthropic.claude-sonnet-4-5-20250929-v1:0", new Usage(1_000_000, 1000, 0, 0)));
    }

    @Test
    void novaChargesCacheWritesAtTheInputPrice() {
        // Nova Pro: 1000 × 0.8 + 500 × 3.2 + 2000 × 0.2 + 100 × 0.8 (no cache-write price listed) = 2880 per million
        assertCost("0.00288", rawModel("amazon.nova-pro-v1:0", new Usage(1000, 500, 2000, 100)));
        // Nova Micro: 100 × 0.035 + 1 × 0.00875 = 3.50875 per million
        assertCost("0.00000350875", rawModel("us.amazon.nova-micro-v1:0", new Usage(100, 0, 1, 0)));
    }

    @Test
    void llamaMistralTitanAndDeepSeek() {
        // Llama 3.3 70B: 1500 × 0.72 + 700 × 0.72 = 1584 per million
        assertCost("0.001584", rawModel("us.meta.llama3-3-70b-instruct-v1:0", new Usage(1500, 700, 0, 0)));
        // Mistral Large (24.02): 1000 × 4 + 250 × 12 = 7000 per million
        assertCost("0.007", rawModel("mistral.mistral-large-2402-v1:0", new Usage(1000, 250, 0, 0)));
        // Titan Text Express: 800 × 0.2 + 300 × 0.6 = 340 per million
        assertCost("0.00034", rawModel("amazon.titan-text-express-v1", new Usage(800, 300, 0, 0)));
        // Titan Embeddings G1: 600 × 0.1 = 60 per million
        assertCost("0.00006", rawModel("amazon.titan-embed-text-v1", new Usage(600, 0, 0, 0)));
        // DeepSeek R1 via an inference-profile ARN: 2000 × 1.35 + 4000 × 5.4 = 24300 per million
        assertCost("0.0243", rawModel("arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.deepseek.r1-v1:0",
                new Usage(2000, 4000, 0, 0)));
    }

    @Test
    void cohereAndAi21AreNotInTheTableSoNeedModelInfo() {
        PricedUsage unknown = rawModel("cohere.command-r-v1:0", new Usage(1000, 200, 0, 0));
        assertTrue(unknown.priceUnknown());
        assertEquals(0, BigDecimal.ZERO.compareTo(unknown.cost()));
        assertNull(unknown.price());

        Map<String, Object> cohere = Map.of("input_cost_per_token", 0.0000005, "output_cost_per_token", 1.5e-6);
        Deployment command = deployment("command-r/0", "command-r", "cohere.command-r-v1:0", cohere);
        // 1000 × 0.0000005 + 200 × 0.0000015
        assertCost("0.0008", PRICING.price(command, "cohere.command-r-v1:0", new Usage(1000, 200, 0, 0)));

        Map<String, Object> ai21 = Map.of("input_cost_per_token", "0.000002", "output_cost_per_token", " 8e-6 ");
        Deployment jamba = deployment("jamba/0", "jamba", "ai21.jamba-1-5-large-v1:0", ai21);
        // 1000 × 0.000002 + 100 × 0.000008; cache tokens at the input price
        assertCost("0.0028", PRICING.price(jamba, null, new Usage(1000, 100, 0, 0)));
        assertCost("0.0048", PRICING.price(jamba, null, new Usage(1000, 100, 500, 500)));
        assertEquals("model_info", PRICING.price(jamba, null, new Usage(1, 1, 0, 0)).price().source());
    }

    @Test
    void overridesReplaceTableFieldsOneByOne() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("input_cost_per_token", new BigDecimal("0.000001"));
        info.put("cache_read_input_token_cost", BigInteger.ZERO);
        Deployment deployment = deployment("claude/0", "claude", "anthropic.claude-3-5-sonnet-20240620-v1:0", info);
        ModelPrice price = PRICING.priceFor(deployment, null).orElseThrow();
        assertEquals("model_info+genai-prices:regional.anthropic.claude-3-5-sonnet-20240620-v1:0", price.source());
        // 1000 × 1 + 100 × 15 (table) + 1000 × 0 + 10 × 3.75 (table) = 2537.5 per million
        assertCost("0.0025375", PRICING.price(deployment, null, new Usage(1000, 100, 1000, 10)));
    }

    @Test
    void baseModelPricesAnApplicationInferenceProfile() {
        String profile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4";
        Deployment plain = deployment("team/0", "team", profile, Map.of());
        assertTrue(PRICING.price(plain, profile, new Usage(10, 10, 0, 0)).priceUnknown());
        Deployment based = deployment("team/1", "team", profile,
                Map.of("base_model", "bedrock/anthropic.claude-3-haiku-20240307-v1:0"));
        // 10000 × 0.25 + 1000 × 1.25 = 3750 per million
        assertCost("0.00375", PRICING.price(based, profile, new Usage(10_000, 1000, 0, 0)));
    }

    @Test
    void emptyUsageIsFreeAndNotFlagged() {
        PricedUsage none = rawModel("no.such-model", Usage.NONE);
        assertFalse(none.priceUnknown());
        assertEquals(0, BigDecimal.ZERO.compareTo(none.cost()));
        PricedUsage nothingFromKnown = PRICING.price(null, null, Usage.NONE);
        assertFalse(nothingFromKnown.priceUnknown());
    }

    @Test
    void tieredPricesApplyThroughPricing() {
        PricedUsage priced = rawModel("global.openai.gpt-5.6-luna", new Usage(272_000, 1000, 0, 0));
        assertCost("0.1106", priced);
        assertTrue(priced.price().tiers().isEmpty());
        assertEquals(0, PriceTableTest.mtok("0.4").compareTo(priced.price().input()));
    }

    @Test
    void invalidOverridesAreIgnoredAndReported() {
        Map<String, Object> info = Map.of("input_cost_per_token", "cheap", "output_cost_per_token", -1,
                "cache_read_input_token_cost", List.of(1));
        Deployment bad = deployment("bad/0", "bad", "cohere.command-r-plus-v1:0", info);
        assertTrue(PRICING.price(bad, null, new Usage(1, 1, 0, 0)).priceUnknown());
        Deployment badButKnown = deployment("bad/1", "bad", "amazon.nova-lite-v1:0", info);
        // Falls back to the table: 1000 × 0.06 = 60 per million
        assertCost("0.00006", PRICING.price(badButKnown, null, new Usage(1000, 0, 0, 0)));

        List<UnpricedDeployment> unpriced = PRICING.unpricedDeployments(List.of(bad, badButKnown));
        assertEquals(1, unpriced.size());
        UnpricedDeployment entry = unpriced.get(0);
        assertEquals("bad", entry.alias());
        assertEquals("bad/0", entry.deploymentId());
        assertEquals("cohere.command-r-plus-v1:0", entry.modelId());
        assertTrue(entry.reason().contains("input_cost_per_token must be a non-negative number"), entry.reason());
    }

    @Test
    void listsConfiguredAliasesWithoutAPrice() {
        List<Deployment> deployments = List.of(
                deployment("claude", "us.anthropic.claude-3-5-sonnet-20240620-v1:0"),
                deployment("legacy", "anthropic.claude-v2"),
                deployment("partial/0", "partial", "cohere.command-r-v1:0", Map.of("input_cost_per_token", 1e-6)),
                deployment("priced/0", "priced", "cohere.command-r-v1:0",
                        Map.of("input_cost_per_token", 1e-6, "output_cost_per_token", 2e-6)),
                deployment("passthrough", null, "anthropic.claude-v2", Map.of()));
        List<UnpricedDeployment> unpriced = PRICING.unpricedDeployments(deployments);
        assertEquals(List.of("legacy", "partial"), unpriced.stream().map(UnpricedDeployment::alias).toList());
        assertTrue(unpriced.get(0).reason().contains("model_info.input_cost_per_token"));
        assertTrue(unpriced.get(1).reason().contains("sets only some prices"));
    }

    @Test
    void aReloadedModelInfoIsReadAgain() {
        Deployment first = deployment("x/0", "x", "cohere.command-r-v1:0",
                Map.of("input_cost_per_token", 1e-6, "output_cost_per_token", 1e-6));
        Deployment second = deployment("x/0", "x", "cohere.command-r-v1:0",
                Map.of("input_cost_per_token", 2e-6, "output_cost_per_token", 2e-6));
        assertCost("0.000002", PRICING.price(first, null, new Usage(1, 1, 0, 0)));
        assertCost("0.000004", PRICING.price(second, null, new Usage(1, 1, 0, 0)));
    }
}
