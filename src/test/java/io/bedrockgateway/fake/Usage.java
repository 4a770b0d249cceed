package io.bedrockgateway.fake;

/**
 * The token usage the fake reports for one model call. Every response shape (Converse usage, converse-stream
 * {@code metadata}, InvokeModel headers and body, Anthropic stream events, agent traces, CountTokens) is derived
 * from one {@code Usage}, so a spend test can compute the expected cost exactly.
 *
 * <p>{@code inputTokens} excludes cached tokens, as Bedrock reports it; cache fields are omitted from responses when
 * they are zero. Immutable and thread-safe.
 *
 * @param inputTokens           uncached input tokens
 * @param outputTokens          generated tokens
 * @param cacheReadInputTokens  input tokens read from the prompt cache
 * @param cacheWriteInputTokens input tokens written to the prompt cache
 */
public record Usage(int inputTokens, int outputTokens, int cacheReadInputTokens, int cacheWriteInputTokens) {
    /** Input tokens reported by default. */
    public static final int DEFAULT_INPUT_TOKENS = 1200;
    /** Output tokens reported by default. */
    public static final int DEFAULT_OUTPUT_TOKENS = 345;
    /** Cache-read input tokens reported by default. */
    public static final int DEFAULT_CACHE_READ_TOKENS = 100;
    /** Cache-write input tokens reported by default. */
    public static final int DEFAULT_CACHE_WRITE_TOKENS = 50;
    /** The usage a fresh {@link FakeBedrock} reports. */
    public static final Usage DEFAULT = new Usage(DEFAULT_INPUT_TOKENS, DEFAULT_OUTPUT_TOKENS,
            DEFAULT_CACHE_READ_TOKENS, DEFAULT_CACHE_WRITE_TOKENS);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadInputTokens < 0 || cacheWriteInputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** Converse's {@code totalTokens}: input + output + cache read + cache write. */
    public int totalTokens() {
        return inputTokens + outputTokens + cacheReadInputTokens + cacheWriteInputTokens;
    }
}
