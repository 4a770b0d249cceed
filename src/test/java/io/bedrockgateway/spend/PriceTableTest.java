package io.bedrockgateway.spend;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriceTableTest {
    private static final PriceTable TABLE = PriceTable.loadDefault();

    /** USD per million tokens as USD per token. */
    static BigDecimal mtok(String perMillion) {
        return new BigDecimal(perMillion).movePointLeft(6);
    }

    private static ModelPrice price(String modelId) {
        return TABLE.lookup(modelId).orElseThrow(() -> new AssertionError("no price for " + modelId));
    }

    private static void assertPrice(String modelId, String input, String output, String cacheRead, String cacheWrite) {
        ModelPrice price = price(modelId);
        assertEquals(0, mtok(input).compareTo(price.input()), modelId + " input");
        assertEquals(0, mtok(output).compareTo(price.output()), modelId + " output");
        assertEquals(0, mtok(cacheRead).compareTo(price.cacheRead()), modelId + " cache read");
        assertEquals(0, mtok(cacheWrite).compareTo(price.cacheWrite()), modelId + " cache write");
    }

    @Test
    void loadsTheBundledTableOnce() {
        assertSame(TABLE, PriceTable.loadDefault());
        assertEquals(93, TABLE.size());
    }

    @Test
    void pricesEachProviderFamily() {
        assertPrice("anthropic.claude-3-5-sonnet-20240620-v1:0", "3", "15", "0.3", "3.75");
        assertPrice("anthropic.claude-3-haiku-20240307-v1:0", "0.25", "1.25", "0.25", "0.25");
        assertPrice("amazon.nova-pro-v1:0", "0.8", "3.2", "0.2", "0.8");
        assertPrice("amazon.nova-micro-v1:0", "0.035", "0.14", "0.00875", "0.035");
        assertPrice("amazon.titan-text-express-v1", "0.2", "0.6", "0.2", "0.2");
        assertPrice("amazon.titan-embed-text-v1", "0.1", "0", "0.1", "0.1");
        assertPrice("meta.llama3-3-70b-instruct-v1:0", "0.72", "0.72", "0.72", "0.72");
        assertPrice("meta.llama3-70b-instruct-v1:0", "2.65", "3.5", "2.65", "2.65");
        assertPrice("mistral.mistral-large-2402-v1:0", "4", "12", "4", "4");
        assertPrice("mistral.mistral-7b-instruct-v0:2", "0.15", "0.2", "0.15", "0.15");
        assertPrice("deepseek.r1-v1:0", "1.35", "5.4", "1.35", "1.35");
    }

    @Test
    void geographicProfilesCostMoreThanGlobalForRecentClaudes() {
        assertPrice("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "3", "15", "0.3", "3.75");
        assertPrice("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "3.3", "16.5", "0.33", "4.125");
        assertPrice("anthropic.claude-sonnet-4-5-20250929-v1:0", "3.3", "16.5", "0.33", "4.125");
        assertEquals("regional.anthropic.claude-sonnet-4-5-20250929-v1:0",
                TABLE.resolve("eu.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow());
        assertEquals("global.anthropic.claude-haiku-4-5-20251001-v1:0",
                TABLE.resolve("global.anthropic.claude-haiku-4-5-20251001-v1:0").orElseThrow());
    }

    @Test
    void crossRegionPrefixesAreStrippedOnlyWhenNothingMatchesOtherwise() {
        // apac. is not among the rule's geographies for Nova 2 Lite... and the bare id matches nothing either.
        assertEquals(Optional.empty(), TABLE.resolve("apac.amazon.nova-2-lite-v1:0"));
        // ca. is named by no Claude rule: stripping it finds the in-region (regional) price.
        assertEquals("regional.anthropic.claude-sonnet-4-5-20250929-v1:0",
                TABLE.resolve("ca.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow());
        for (String prefix : ModelIds.REGION_PREFIXES) {
            assertPrice(prefix + "meta.llama3-1-8b-instruct-v1:0", "0.22", "0.22", "0.22", "0.22");
        }
    }

    @Test
    void arnsAndSuffixesResolveToTheBaseModel() {
        assertPrice("arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0",
                "3", "15", "0.3", "3.75");
        assertPrice("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
                "0.25", "1.25", "0.25", "0.25");
        assertPrice("anthropic.claude-3-haiku-20240307-v1:0:200k", "0.25", "1.25", "0.25", "0.25");
        assertPrice("amazon.nova-pro-v1:0:300k", "0.8", "3.2", "0.2", "0.8");
        // The ends_with rule of a global profile needs the version suffix gone.
        assertEquals("global.anthropic.claude-opus-5", TABLE.resolve("global.anthropic.claude-opus-5:0").orElseThrow());
        assertEquals("openai.gpt-5.4", TABLE.resolve("OpenAI.GPT-5.4:0").orElseThrow());
    }

    @Test
    void unknownModelsHaveNoPrice() {
        assertEquals(Optional.empty(), TABLE.lookup("anthropic.claude-v2"));
        assertEquals(Optional.empty(), TABLE.lookup("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2"));
        assertEquals(Optional.empty(), TABLE.lookup("cohere.command-r-v1:0"));
        assertEquals(Optional.empty(), TABLE.lookup("ai21.jamba-1-5-large-v1:0"));
        assertEquals(Optional.empty(), TABLE.lookup("arn:aws:bedrock:us-east-1:1:application-inference-profile/x"));
        assertEquals(Optional.empty(), TABLE.lookup(""));
        assertEquals(Optional.empty(), TABLE.lookup(null));
    }

    @Test
    void longContextTiersSwitchTheWholeRequestAbove271999PromptTokens() {
        ModelPrice luna = price("global.openai.gpt-5.6-luna");
        assertEquals(1, luna.tiers().size());
        assertEquals(0, mtok("0.2").compareTo(luna.at(271_999).input()));
        assertEquals(0, mtok("0.4").compareTo(luna.at(272_000).input()));
        assertEquals(0, mtok("1.8").compareTo(luna.at(272_000).output()));
        // 271999 × 0.2 + 1000 × 1.2 per million, then 272000 × 0.4 + 1000 × 1.8 per million
        assertEquals(0, new BigDecimal("0.0555998").compareTo(luna.cost(new Usage(271_999, 1000, 0, 0))));
        assertEquals(0, new BigDecimal("0.1106").compareTo(luna.cost(new Usage(272_000, 1000, 0, 0))));
        // Cache tokens count towards the prompt size.
        assertEquals(0, mtok("0.04").compareTo(luna.at(200_000 + 72_000).cacheRead()));
    }

    @Test
    void datedPricesFollowTheClock() throws Exception {
        PriceTable before = bundled(Instant.parse("2026-07-29T23:59:59Z"));
        PriceTable after = bundled(Instant.parse("2026-07-30T00:00:00Z"));
        assertEquals(0, mtok("2.75").compareTo(before.lookup("openai.gpt-5.6-terra").orElseThrow().input()));
        assertEquals(0, mtok("2.2").compareTo(after.lookup("openai.gpt-5.6-terra").orElseThrow().input()));
        assertEquals(0, mtok("4.4").compareTo(after.lookup("us.openai.gpt-5.6-terra").orElseThrow().at(300_000).input()));
        assertTrue(before.lookup("openai.gpt-5.6-terra").orElseThrow().tiers().isEmpty());
    }

    @Test
    void mostSpecificRuleWinsWhateverTheOrder() throws Exception {
        PriceTable table = table("""
                {"models": [
                  {"id": "generic", "match": {"contains": "claude"}, "prices": {"input_mtok": 1, "output_mtok": 1}},
                  {"id": "haiku", "match": {"contains": "claude-3-haiku"}, "prices": {"input_mtok": 2, "output_mtok": 2}},
                  {"id": "exact", "match": {"or": [{"equals": "x.claude"}, {"contains": "nothing"}]},
                   "prices": {"input_mtok": 3, "output_mtok": 3}},
                  {"id": "later-equal", "match": {"contains": "claude-3-haiku"}, "prices": {"input_mtok": 4, "output_mtok": 4}}
                ]}""");
        assertEquals("haiku", table.resolve("us.anthropic.claude-3-haiku-20240307-v1:0").orElseThrow());
        assertEquals("generic", table.resolve("anthropic.claude-v2").orElseThrow());
        assertEquals("exact", table.resolve("x.claude").orElseThrow());
    }

    @Test
    void missingCachePricesAreTheInputPrice() throws Exception {
        PriceTable table = table("""
                {"models": [{"id": "m", "match": {"equals": "m"}, "prices": {"input_mtok": 2, "output_mtok": 5}}]}""");
        ModelPrice price = table.lookup("m").orElseThrow();
        assertEquals(0, mtok("2").compareTo(price.cacheRead()));
        assertEquals(0, mtok("2").compareTo(price.cacheWrite()));
        assertEquals("genai-prices:m", price.source());
    }

    @Test
    void malformedTablesFailLoudly() {
        assertThrows(IllegalArgumentException.class, () -> table("{\"models\": {}}"));
        assertThrows(IllegalArgumentException.class, () -> table(
                "{\"models\": [{\"id\": \"m\", \"match\": {\"like\": \"m\"}, \"prices\": {\"input_mtok\": 1}}]}"));
        assertThrows(IllegalArgumentException.class, () -> table(
                "{\"models\": [{\"id\": \"m\", \"match\": {\"equals\": \"m\"}, \"prices\": {\"output_mtok\": 1}}]}"));
        assertThrows(IllegalArgumentException.class, () -> table(
                "{\"models\": [{\"id\": \"m\", \"match\": {\"equals\": \"m\"}, \"prices\": {\"input_mtok\": -1}}]}"));
        assertThrows(IllegalArgumentException.class, () -> table("{\"models\": [{\"id\": \"m\", \"match\": "
                + "{\"equals\": \"m\"}, \"prices\": [{\"constraint\": {\"type\": \"time_of_date\"}, "
                + "\"prices\": {\"input_mtok\": 1}}]}]}"));
    }

    @Test
    void theLookupCacheIsBounded() throws Exception {
        PriceTable table = table("""
                {"models": [{"id": "m", "match": {"contains": "m"}, "prices": {"input_mtok": 1, "output_mtok": 1}}]}""");
        for (int i = 0; i < PriceTable.MAX_CACHED_IDS + 100; i++) {
            table.lookup("client-chosen-" + i);
        }
        assertTrue(table.lookup("m-" + Integer.MAX_VALUE).isPresent());
        assertEquals(Optional.empty(), table.lookup("zzz"));
    }

    static PriceTable table(String json) throws Exception {
        return PriceTable.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), Clock.systemUTC());
    }

    private static PriceTable bundled(Instant now) throws Exception {
        try (InputStream in = PriceTable.class.getResourceAsStream(PriceTable.RESOURCE)) {
            return PriceTable.read(in, Clock.fixed(now, ZoneOffset.UTC));
        }
    }
}
