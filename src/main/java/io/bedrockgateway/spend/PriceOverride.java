package io.bedrockgateway.spend;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deployment's own prices from its {@code model_info}, with LiteLLM's key names (USD per token):
 * {@code input_cost_per_token}, {@code output_cost_per_token}, {@code cache_read_input_token_cost},
 * {@code cache_creation_input_token_cost}; each a number or a numeric string. {@code base_model} (as in LiteLLM)
 * names the model to look up in the table instead of the one the call names, e.g. for an application inference
 * profile ARN.
 *
 * <p>Immutable and thread-safe. Absent or invalid values are {@code null}; invalid ones are described in
 * {@code problems}.
 */
record PriceOverride(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite,
                     String baseModel, List<String> problems) {
    static final String INPUT = "input_cost_per_token";
    static final String OUTPUT = "output_cost_per_token";
    static final String CACHE_READ = "cache_read_input_token_cost";
    static final String CACHE_WRITE = "cache_creation_input_token_cost";
    static final String BASE_MODEL = "base_model";
    static final String SOURCE = "model_info";

    static final PriceOverride NONE = new PriceOverride(null, null, null, null, null, List.of());

    PriceOverride {
        problems = List.copyOf(problems);
    }

    static PriceOverride of(Map<String, Object> modelInfo) {
        if (modelInfo == null || modelInfo.isEmpty()) {
            return NONE;
        }
        List<String> problems = new ArrayList<>(0);
        Object base = modelInfo.get(BASE_MODEL);
        String baseModel = base instanceof String s && !s.isBlank() ? s.strip() : null;
        if (base != null && baseModel == null) {
            problems.add(BASE_MODEL + " must be a model id");
        }
        return new PriceOverride(decimal(modelInfo, INPUT, problems), decimal(modelInfo, OUTPUT, problems),
                decimal(modelInfo, CACHE_READ, problems), decimal(modelInfo, CACHE_WRITE, problems), baseModel,
                problems);
    }

    /** Whether any price is overridden. */
    boolean hasPrices() {
        return input != null || output != null || cacheRead != null || cacheWrite != null;
    }

    /**
     * The price with this override applied: overridden fields replace the table's base price (its long-context
     * tiers no longer apply), the others keep it. Without a table price the override must give both input and
     * output prices (cache prices then default to the input price, as in {@link ModelPrice#flat}).
     *
     * @param table the table's price, or {@code null}
     * @return the price, or {@code null} when neither is enough to price a call
     */
    ModelPrice applyTo(ModelPrice table) {
        if (!hasPrices()) {
            return table;
        }
        if (table == null) {
            return input == null || output == null ? null
                    : ModelPrice.flat(SOURCE, input, output, cacheRead, cacheWrite);
        }
        return ModelPrice.flat(SOURCE + "+" + table.source(), or(input, table.input()), or(output, table.output()),
                or(cacheRead, table.cacheRead()), or(cacheWrite, table.cacheWrite()));
    }

    private static BigDecimal or(BigDecimal preferred, BigDecimal fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static BigDecimal decimal(Map<String, Object> modelInfo, String key, List<String> problems) {
        Object value = modelInfo.get(key);
        if (value == null) {
            return null;
        }
        BigDecimal decimal = toDecimal(value);
        if (decimal == null || decimal.signum() < 0) {
            problems.add(key + " must be a non-negative number, not '" + value + "'");
            return null;
        }
        return decimal;
    }

    private static BigDecimal toDecimal(Object value) {
        try {
            if (value instanceof BigDecimal d) {
                return d;
            }
            if (value instanceof BigInteger i) {
                return new BigDecimal(i);
            }
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return BigDecimal.valueOf(((Number) value).longValue());
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                // valueOf goes through Double.toString: 3.0E-6 stays 0.0000030, not its binary expansion.
                return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
            }
            if (value instanceof String s) {
                return new BigDecimal(s.strip());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
