package io.bedrockgateway.spend;

/**
 * Token usage of one call as Bedrock reported it. Immutable and thread-safe.
 *
 * @param inputTokens      prompt tokens billed at the input price (excluding cache reads and writes)
 * @param outputTokens     generated tokens
 * @param cacheReadTokens  prompt tokens read from the prompt cache
 * @param cacheWriteTokens prompt tokens written to the prompt cache
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
    }

    public boolean isEmpty() {
        return totalTokens() == 0;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens);
    }
}
