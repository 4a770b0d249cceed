package io.bedrockgateway.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bundled price resource: complete, attributed, unshadowed, and equal to the shared source when present. */
class PriceResourceTest {
    /** The steering repository's data, beside this repository in CI and in the worktrees. */
    private static final Path SHARED = Path.of("..", "shared", "data");

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PriceTable.class.getResourceAsStream("/pricing/" + name)) {
            assertNotNull(in, name + " is not bundled");
            return in.readAllBytes();
        }
    }

    @Test
    void isAttributedAndShipsTheLicense() throws Exception {
        JsonNode root = new ObjectMapper().readTree(resource("bedrock-prices.json"));
        String source = root.path("source").asText();
        assertTrue(source.contains("@pydantic/genai-prices") && source.contains("MIT"), source);
        String license = new String(resource("LICENSE-genai-prices.txt"), StandardCharsets.UTF_8);
        assertTrue(license.contains("MIT License") && license.contains("Pydantic Services Inc."));
        String notice = new String(resource("NOTICE.md"), StandardCharsets.UTF_8);
        assertTrue(notice.contains("genai-prices") && notice.contains("LICENSE-genai-prices.txt"));
    }

    @Test
    void everyModelParsesWithAnInputPrice() {
        PriceTable table = PriceTable.loadDefault();
        for (PriceTable.Entry entry : table.entries()) {
            for (PriceTable.Dated dated : entry.schedule()) {
                ModelPrice price = dated.price();
                assertTrue(price.input().signum() >= 0 && price.output().signum() >= 0, entry.id());
            }
        }
    }

    /** A model's own literals must lead to it: no rule of another model shadows it. */
    @Test
    void noRuleShadowsAnother() {
        PriceTable table = PriceTable.loadDefault();
        List<String> shadowed = new ArrayList<>();
        for (PriceTable.Entry entry : table.entries()) {
            List<String> literals = new ArrayList<>();
            entry.rule().literals(literals);
            for (String literal : literals) {
                String resolved = table.resolve(literal).orElse("nothing");
                if (!resolved.equals(entry.id())) {
                    shadowed.add(literal + " -> " + resolved + " (rule of " + entry.id() + ")");
                }
            }
        }
        assertEquals(List.of(), shadowed);
    }

    @Test
    void equalsTheSharedSourceWhenItIsThere() throws Exception {
        Path prices = SHARED.resolve("bedrock-prices.json");
        assumeTrue(Files.isRegularFile(prices), "no " + prices.toAbsolutePath() + " beside the repository");
        assertArrayEquals(Files.readAllBytes(prices), resource("bedrock-prices.json"),
                "src/main/resources/pricing/bedrock-prices.json differs from " + prices
                        + ": refresh it as NOTICE.md says");
        assertArrayEquals(Files.readAllBytes(SHARED.resolve("LICENSE-genai-prices.txt")),
                resource("LICENSE-genai-prices.txt"));
    }
}
