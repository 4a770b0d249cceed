package io.bedrockgateway.spend;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The price of one model: USD per token for each kind of token Bedrock reports, exact.
 *
 * <p>Cache prices are never absent here: where the source lists no cache price for a model, Bedrock offers no prompt
 * caching for it (so it reports no cache tokens), and should it report some anyway they are charged at the input
 * price. A cache token is thus never silently free. (genai-prices itself would price them at zero.)
 *
 * <p>Long-context pricing: {@code tiers} (ascending) switch the whole request to other prices once its prompt, that
 * is input plus cache-read plus cache-write tokens, is larger than a tier's {@code abovePromptTokens}; this is how
 * Bedrock bills long prompts (all tokens at the higher rate, not only those past the threshold).
 *
 * <p>Immutable and thread-safe.
 *
 * @param source     where the price comes from: {@code genai-prices:<model id>}, {@code model_info}, or both joined
 *                   by {@code +} when an override completes a table price
 * @param input      USD per uncached input token
 * @param output     USD per output token
 * @param cacheRead  USD per input token read from the prompt cache
 * @param cacheWrite USD per input token written to the prompt cache
 * @param tiers      long-context tiers, ascending by threshold; each tier's price is flat; empty for most models
 */
public record ModelPrice(String source, BigDecimal input, BigDecimal output, BigDecimal cacheRead,
                         BigDecimal cacheWrite, List<Tier> tiers) {

    public ModelPrice {
        Objects.requireNonNull(source, "source");
        requireNonNegative(input, "input");
        requireNonNegative(output, "output");
        requireNonNegative(cacheRead, "cacheRead");
        requireNonNegative(cacheWrite, "cacheWrite");
        tiers = List.copyOf(tiers);
        for (int i = 0; i < tiers.size(); i++) {
            if (!tiers.get(i).price().tiers().isEmpty()
                    || i > 0 && tiers.get(i).abovePromptTokens() <= tiers.get(i - 1).abovePromptTokens()) {
                throw new IllegalArgumentException("tiers must be flat and strictly ascending");
            }
        }
    }

    /** A price without tiers; a {@code null} cache price means "not listed" and becomes the input price. */
    public static ModelPrice flat(String source, BigDecimal input, BigDecimal output, BigDecimal cacheRead,
                                  BigDecimal cacheWrite) {
        Objects.requireNonNull(input, "input");
        return new ModelPrice(source, input, output, cacheRead == null ? input : cacheRead,
                cacheWrite == null ? input : cacheWrite, List.of());
    }

    /**
     * The flat price in effect for a request whose prompt (input + cache read + cache write) has this many tokens.
     */
    public ModelPrice at(long promptTokens) {
        for (int i = tiers.size() - 1; i >= 0; i--) {
            if (promptTokens > tiers.get(i).abovePromptTokens()) {
                return tiers.get(i).price();
            }
        }
        return tiers.isEmpty() ? this : new ModelPrice(source, input, output, cacheRead, cacheWrite, List.of());
    }

    /** Exact cost of the usage in USD, with the tier its prompt size selects. */
    public BigDecimal cost(Usage usage) {
        ModelPrice price = at(usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens());
        return price.input.multiply(BigDecimal.valueOf(usage.inputTokens()))
                .add(price.output.multiply(BigDecimal.valueOf(usage.outputTokens())))
                .add(price.cacheRead.multiply(BigDecimal.valueOf(usage.cacheReadTokens())))
                .add(price.cacheWrite.multiply(BigDecimal.valueOf(usage.cacheWriteTokens())));
    }

    private static void requireNonNegative(BigDecimal value, String name) {
        Objects.requireNonNull(value, name);
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " price must not be negative");
        }
    }

    /**
     * A long-context tier: {@code price} applies to every token of a request whose prompt is larger than
     * {@code abovePromptTokens}.
     */
    public record Tier(long abovePromptTokens, ModelPrice price) {
        public Tier {
            Objects.requireNonNull(price, "price");
        }
    }
}
