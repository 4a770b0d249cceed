package io.bedrockgateway.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads token counts from the JSON shapes Bedrock and its model providers use. Stateless and thread-safe.
 *
 * <p>Shapes, most authoritative first:
 * <ul>
 *   <li>{@code amazon-bedrock-invocationMetrics}: {@code inputTokenCount}, {@code outputTokenCount},
 *       {@code cacheReadInputTokenCount}, {@code cacheWriteInputTokenCount} (last chunk of an invoke stream);</li>
 *   <li>a {@code usage} object (top level; {@code message.usage} in Anthropic's {@code message_start};
 *       {@code metadata.usage} in Nova's stream) in Converse/Nova ({@code inputTokens}...,
 *       {@code cacheReadInputTokens} or {@code cacheReadInputTokenCount}), Anthropic ({@code input_tokens},
 *       {@code cache_read_input_tokens}, {@code cache_creation_input_tokens}) or OpenAI/AI21/Mistral chat
 *       ({@code prompt_tokens}, {@code completion_tokens}, cached tokens taken out of the prompt) style;</li>
 *   <li>Meta Llama: {@code prompt_token_count}, {@code generation_token_count};</li>
 *   <li>Amazon Titan: {@code inputTextTokenCount}, and {@code results[].tokenCount} (summed) or, in a stream,
 *       {@code totalOutputTextTokenCount};</li>
 *   <li>Cohere: {@code meta.billed_units.input_tokens}, {@code output_tokens}.</li>
 * </ul>
 * Counts that are negative or not integers are ignored.
 */
final class UsageJson {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String INVOCATION_METRICS = "amazon-bedrock-invocationMetrics";

    private UsageJson() {
    }

    /**
     * Parses the first JSON value in the range (anything after it is ignored).
     *
     * @throws UncheckedIOException when the range does not start with a complete JSON value
     */
    static JsonNode parse(byte[] bytes, int offset, int length) {
        try {
            return JSON.readTree(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Usage in any known shape of a response body or stream chunk, or {@code null} when none is found. */
    static Usage fromBody(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        Usage usage = fromMetrics(root.get(INVOCATION_METRICS));
        if (usage == null) {
            usage = fromUsageObject(root.get("usage"));
        }
        if (usage == null) {
            usage = fromUsageObject(root.path("message").get("usage"));
        }
        if (usage == null) {
            usage = fromUsageObject(root.path("metadata").get("usage"));
        }
        if (usage == null) {
            usage = fromCounts(root, "prompt_token_count", "generation_token_count");
        }
        if (usage == null) {
            usage = titan(root);
        }
        if (usage == null) {
            usage = fromCounts(root.path("meta").path("billed_units"), "input_tokens", "output_tokens");
        }
        return usage;
    }

    /** {@code amazon-bedrock-invocationMetrics}, or {@code null}. */
    static Usage fromMetrics(JsonNode metrics) {
        if (metrics == null || !metrics.isObject()) {
            return null;
        }
        return usage(count(metrics, "inputTokenCount"), count(metrics, "outputTokenCount"),
                count(metrics, "cacheReadInputTokenCount"), count(metrics, "cacheWriteInputTokenCount"));
    }

    /** A {@code usage} object in Converse, Anthropic or OpenAI style, or {@code null}. */
    static Usage fromUsageObject(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long input = count(usage, "inputTokens", "input_tokens");
        long output = count(usage, "outputTokens", "output_tokens", "completion_tokens");
        long cacheRead = count(usage, "cacheReadInputTokens", "cacheReadInputTokenCount", "cache_read_input_tokens");
        long cacheWrite = count(usage, "cacheWriteInputTokens", "cacheWriteInputTokenCount",
                "cache_creation_input_tokens");
        long prompt = count(usage, "prompt_tokens");
        if (input < 0 && prompt >= 0) {
            // OpenAI style counts cached tokens inside prompt_tokens.
            long cached = Math.min(prompt, Math.max(0, count(usage.path("prompt_tokens_details"), "cached_tokens")));
            input = prompt - cached;
            cacheRead = cached > 0 ? cached : cacheRead;
        }
        return usage(input, output, cacheRead, cacheWrite);
    }

    private static Usage titan(JsonNode root) {
        long input = count(root, "inputTextTokenCount");
        long output = count(root, "totalOutputTextTokenCount");
        JsonNode results = root.get("results");
        if (output < 0 && results != null && results.isArray()) {
            for (JsonNode result : results) {
                long tokens = count(result, "tokenCount");
                output = tokens < 0 ? output : Math.max(output, 0) + tokens;
            }
        }
        return usage(input, output, -1, -1);
    }

    private static Usage fromCounts(JsonNode node, String inputName, String outputName) {
        return usage(count(node, inputName), count(node, outputName), -1, -1);
    }

    /** {@code null} when no count was present; absent counts are 0 otherwise. */
    private static Usage usage(long input, long output, long cacheRead, long cacheWrite) {
        if (input < 0 && output < 0 && cacheRead < 0 && cacheWrite < 0) {
            return null;
        }
        return new Usage(Math.max(0, input), Math.max(0, output), Math.max(0, cacheRead), Math.max(0, cacheWrite));
    }

    /** The first of the named members that is a non-negative integer, or -1. */
    static long count(JsonNode node, String... names) {
        if (node == null || !node.isObject()) {
            return -1;
        }
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0) {
                return value.asLong();
            }
        }
        return -1;
    }

    /** Fieldwise maximum: running counters in streams only grow. */
    static Usage max(Usage a, Usage b) {
        return new Usage(Math.max(a.inputTokens(), b.inputTokens()), Math.max(a.outputTokens(), b.outputTokens()),
                Math.max(a.cacheReadTokens(), b.cacheReadTokens()),
                Math.max(a.cacheWriteTokens(), b.cacheWriteTokens()));
    }
}
