package io.bedrockgateway.spend;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Usage of an InvokeModelWithResponseStream response. Each {@code chunk} event's payload is
 * {@code {"bytes": "<base64 of the provider's own JSON event>"}}.
 *
 * <p>The {@code amazon-bedrock-invocationMetrics} Bedrock adds to the last chunk is authoritative and final. Until it
 * arrives the tap keeps the counts the provider's events report, as a fieldwise maximum since they are running
 * totals: Anthropic's {@code message_start} ({@code message.usage}: input and cache tokens) and
 * {@code message_delta} ({@code usage.output_tokens}, cumulative), Nova's {@code metadata.usage}, Llama's
 * {@code prompt_token_count}/{@code generation_token_count}, Titan's {@code inputTextTokenCount}/
 * {@code totalOutputTextTokenCount}, an OpenAI-style {@code usage}. So a stream cut short still reports what was
 * seen. Chunks whose decoded JSON does not even contain {@code "oken"} (as in {@code input_tokens},
 * {@code tokenCount}) are not parsed.
 *
 * <p>Thread-safety: as {@link UsageTap}.
 */
final class InvokeStreamUsageTap extends EventStreamUsageTap {
    private static final byte[] TOKEN = Bytes.ascii("oken");

    private volatile Usage usage = Usage.NONE;
    private volatile boolean authoritative;

    InvokeStreamUsageTap() {
        super("chunk");
    }

    @Override
    void onEvent(byte[] payload) {
        if (authoritative) {
            return;
        }
        byte[] event = chunkBytes(payload);
        if (event == null || !Bytes.contains(event, event.length, TOKEN)) {
            return;
        }
        JsonNode root = UsageJson.parse(event, 0, event.length);
        Usage metrics = UsageJson.fromMetrics(root.get(UsageJson.INVOCATION_METRICS));
        if (metrics != null) {
            authoritative = true;
            usage = metrics;
            return;
        }
        Usage seen = UsageJson.fromBody(root);
        if (seen != null) {
            usage = UsageJson.max(usage, seen);
        }
    }

    @Override
    public Usage usage() {
        return usage;
    }

    /** The decoded {@code bytes} member, or {@code null} when there is none. */
    private static byte[] chunkBytes(byte[] payload) {
        try (JsonParser parser = UsageJson.JSON.getFactory().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("bytes".equals(name) && value == JsonToken.VALUE_STRING) {
                    return parser.getBinaryValue();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
