package io.bedrockgateway.spend;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the genai-prices JSON ({@code {"models": [{"id", "match", "prices"}]}}, USD per million tokens) into
 * {@link PriceTable.Entry entries}. Prices are read as exact decimals, never through {@code double}.
 *
 * <p>Understood: flat prices and long-context tiers ({@code {"base", "tiers": [{"start", "price"}]}}) for
 * {@code input_mtok}, {@code output_mtok}, {@code cache_read_mtok}, {@code cache_write_mtok}; dated price lists
 * ({@code [{"constraint": {"type": "start_date", "start_date"}, "prices"}]}). Audio prices and
 * {@code cache_write_1h_mtok} are ignored: Bedrock's usage does not split those tokens out.
 *
 * <p>Stateless and thread-safe.
 */
final class PriceTableParser {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String SOURCE_PREFIX = "genai-prices:";

    private PriceTableParser() {
    }

    /**
     * @throws IllegalArgumentException when the document is malformed or uses a rule or constraint this parser does
     *                                  not know (a refreshed file must fail loudly, not price silently wrong)
     */
    static List<PriceTable.Entry> parse(InputStream json) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isArray()) {
            throw new IllegalArgumentException("price document has no 'models' array");
        }
        List<PriceTable.Entry> entries = new ArrayList<>(models.size());
        for (JsonNode model : models) {
            String id = model.path("id").asText("");
            try {
                entries.add(new PriceTable.Entry(id, MatchRule.parse(model.get("match")), schedule(id, model)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("model '" + id + "': " + e.getMessage(), e);
            }
        }
        return List.copyOf(entries);
    }

    private static List<PriceTable.Dated> schedule(String id, JsonNode model) {
        JsonNode prices = model.get("prices");
        if (prices == null || prices.isObject()) {
            return List.of(new PriceTable.Dated(null, price(id, prices)));
        }
        if (!prices.isArray() || prices.isEmpty()) {
            throw new IllegalArgumentException("'prices' must be an object or a non-empty array");
        }
        List<PriceTable.Dated> schedule = new ArrayList<>(prices.size());
        for (JsonNode conditional : prices) {
            schedule.add(new PriceTable.Dated(startDate(conditional.get("constraint")),
                    price(id, conditional.get("prices"))));
        }
        return List.copyOf(schedule);
    }

    private static LocalDate startDate(JsonNode constraint) {
        if (constraint == null || constraint.isNull()) {
            return null;
        }
        if (!"start_date".equals(constraint.path("type").asText())) {
            throw new IllegalArgumentException("unsupported price constraint " + constraint);
        }
        try {
            return LocalDate.parse(constraint.path("start_date").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad start_date in " + constraint, e);
        }
    }

    private static ModelPrice price(String id, JsonNode prices) {
        if (prices == null || !prices.isObject()) {
            throw new IllegalArgumentException("no prices");
        }
        JsonNode input = prices.get("input_mtok");
        if (input == null) {
            throw new IllegalArgumentException("no input_mtok");
        }
        JsonNode output = prices.get("output_mtok");
        JsonNode cacheRead = prices.get("cache_read_mtok");
        JsonNode cacheWrite = prices.get("cache_write_mtok");
        Set<Long> starts = new TreeSet<>();
        for (JsonNode field : new JsonNode[]{input, output, cacheRead, cacheWrite}) {
            if (field != null && field.isObject()) {
                field.path("tiers").forEach(tier -> starts.add(tierStart(tier)));
            }
        }
        List<ModelPrice.Tier> tiers = new ArrayList<>(starts.size());
        for (long start : starts) {
            tiers.add(new ModelPrice.Tier(start, flat(id, input, output, cacheRead, cacheWrite, start)));
        }
        ModelPrice base = flat(id, input, output, cacheRead, cacheWrite, -1);
        return new ModelPrice(base.source(), base.input(), base.output(), base.cacheRead(), base.cacheWrite(), tiers);
    }

    /** The flat price above {@code start} tokens of prompt ({@code -1}: the base price). */
    private static ModelPrice flat(String id, JsonNode input, JsonNode output, JsonNode cacheRead,
                                   JsonNode cacheWrite, long start) {
        // A model priced for input only (embeddings) produces no output tokens; zero keeps that exact.
        BigDecimal outputPrice = output == null ? BigDecimal.ZERO : perToken(output, start);
        return ModelPrice.flat(SOURCE_PREFIX + id, perToken(input, start), outputPrice,
                cacheRead == null ? null : perToken(cacheRead, start),
                cacheWrite == null ? null : perToken(cacheWrite, start));
    }

    /** USD per token of one price field at a prompt size above {@code start}. */
    private static BigDecimal perToken(JsonNode field, long start) {
        JsonNode perMillion = field;
        if (field.isObject()) {
            perMillion = field.get("base");
            for (JsonNode tier : field.path("tiers")) {
                if (tierStart(tier) <= start) {
                    perMillion = tier.get("price");
                }
            }
        }
        if (perMillion == null || !perMillion.isNumber() || perMillion.decimalValue().signum() < 0) {
            throw new IllegalArgumentException("bad price " + field);
        }
        return perMillion.decimalValue().movePointLeft(6);
    }

    private static long tierStart(JsonNode tier) {
        JsonNode start = tier.get("start");
        if (start == null || !start.canConvertToLong() || !start.isIntegralNumber() || start.asLong() < 0) {
            throw new IllegalArgumentException("bad tier " + tier);
        }
        return start.asLong();
    }
}
