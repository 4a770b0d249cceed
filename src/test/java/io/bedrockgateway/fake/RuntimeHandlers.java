package io.bedrockgateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.List;

import static io.bedrockgateway.fake.EventFrames.JSON;

/**
 * bedrock-runtime model operations: Converse, ConverseStream, InvokeModel (Anthropic Messages shape),
 * InvokeModelWithResponseStream, CountTokens. Stateless; thread-safe.
 */
final class RuntimeHandlers {
    static final String ANTHROPIC_MODEL = "claude-3-5-sonnet-20240620";

    private RuntimeHandlers() {
    }

    static FakeResponse converse(Call call) {
        call.modelId();
        call.requireArray("messages");
        Usage usage = call.usage();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode message = body.putObject("output").putObject("message").put("role", "assistant");
        message.putArray("content").addObject().put("text", call.settings.responseText);
        body.put("stopReason", "end_turn");
        body.set("usage", converseUsage(usage));
        body.putObject("metrics").put("latencyMs", call.settings.latencyMs);
        return FakeResponse.json(body);
    }

    static FakeResponse converseStream(Call call) {
        call.modelId();
        call.requireArray("messages");
        ObjectNode metadata = JSON.createObjectNode();
        metadata.set("usage", converseUsage(call.usage()));
        metadata.putObject("metrics").put("latencyMs", call.settings.latencyMs);
        EventStreamPlan plan = new EventStreamPlan(
                List.of(EventFrames.event("messageStart",
                        EventFrames.padded(JSON.createObjectNode().put("role", "assistant"), 0))),
                text -> {
                    ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", 0);
                    delta.putObject("delta").put("text", text);
                    return EventFrames.event("contentBlockDelta", EventFrames.padded(delta, text.length()));
                },
                call.settings.deltas(),
                List.of(EventFrames.event("contentBlockStop",
                                EventFrames.padded(JSON.createObjectNode().put("contentBlockIndex", 0), 1)),
                        EventFrames.event("messageStop",
                                EventFrames.padded(JSON.createObjectNode().put("stopReason", "end_turn"), 2)),
                        EventFrames.event("metadata", EventFrames.padded(metadata, 3))));
        return FakeResponse.stream(plan);
    }

    static FakeResponse invokeModel(Call call) {
        validateInvokeBody(call);
        Usage usage = call.usage();
        ObjectNode body = JSON.createObjectNode()
                .put("id", "msg_bdrk_" + call.request.requestId().replace("-", "").substring(0, 24))
                .put("type", "message").put("role", "assistant").put("model", ANTHROPIC_MODEL);
        body.putArray("content").addObject().put("type", "text").put("text", call.settings.responseText);
        body.put("stop_reason", "end_turn").putNull("stop_sequence");
        body.set("usage", anthropicUsage(usage, usage.outputTokens()));
        List<String> headers = new java.util.ArrayList<>(List.of(
                "X-Amzn-Bedrock-Invocation-Latency", String.valueOf(call.settings.latencyMs),
                "X-Amzn-Bedrock-Output-Token-Count", String.valueOf(usage.outputTokens()),
                "X-Amzn-Bedrock-Input-Token-Count", String.valueOf(usage.inputTokens())));
        if (usage.cacheReadInputTokens() > 0) {
            headers.addAll(List.of("X-Amzn-Bedrock-Cache-Read-Input-Token-Count",
                    String.valueOf(usage.cacheReadInputTokens())));
        }
        if (usage.cacheWriteInputTokens() > 0) {
            headers.addAll(List.of("X-Amzn-Bedrock-Cache-Write-Input-Token-Count",
                    String.valueOf(usage.cacheWriteInputTokens())));
        }
        return FakeResponse.json(EventFrames.bytes(body), headers.toArray(String[]::new));
    }

    static FakeResponse invokeModelStream(Call call) {
        validateInvokeBody(call);
        Usage usage = call.usage();
        ObjectNode message = JSON.createObjectNode()
                .put("id", "msg_bdrk_" + call.request.requestId().replace("-", "").substring(0, 24))
                .put("type", "message").put("role", "assistant").put("model", ANTHROPIC_MODEL);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.set("usage", anthropicUsage(usage, 1));
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        start.set("message", message);
        ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", usage.outputTokens());
        ObjectNode stop = JSON.createObjectNode().put("type", "message_stop");
        ObjectNode metrics = stop.putObject("amazon-bedrock-invocationMetrics")
                .put("inputTokenCount", usage.inputTokens())
                .put("outputTokenCount", usage.outputTokens())
                .put("invocationLatency", call.settings.latencyMs)
                .put("firstByteLatency", call.settings.firstByteLatencyMs);
        if (usage.cacheReadInputTokens() > 0) {
            metrics.put("cacheReadInputTokenCount", usage.cacheReadInputTokens());
        }
        if (usage.cacheWriteInputTokens() > 0) {
            metrics.put("cacheWriteInputTokenCount", usage.cacheWriteInputTokens());
        }
        EventStreamPlan plan = new EventStreamPlan(
                List.of(chunk(start, 0), chunk(blockStart, 1)),
                text -> {
                    ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
                    delta.putObject("delta").put("type", "text_delta").put("text", text);
                    return chunk(delta, text.length());
                },
                call.settings.deltas(),
                List.of(chunk(JSON.createObjectNode().put("type", "content_block_stop").put("index", 0), 2),
                        chunk(messageDelta, 3), chunk(stop, 4)));
        return FakeResponse.stream(plan, "X-Amzn-Bedrock-Content-Type", "application/json");
    }

    static FakeResponse countTokens(Call call) {
        call.modelId();
        JsonNode input = call.require("input");
        if (!input.has("converse") && !input.has("invokeModel")) {
            throw AwsError.validation("The input must contain either 'converse' or 'invokeModel'.").failure();
        }
        return FakeResponse.json(JSON.createObjectNode().put("inputTokens", call.usage().inputTokens()));
    }

    /**
     * InvokeModel bodies are the provider's own format: any JSON object, and for Anthropic models the Messages API
     * members Bedrock insists on. The answer is always in Anthropic's shape.
     */
    private static void validateInvokeBody(Call call) {
        String modelId = call.modelId();
        JsonNode body = call.body();
        if (modelId.contains("anthropic")) {
            for (String key : List.of("anthropic_version", "messages")) {
                if (!body.has(key)) {
                    throw AwsError.validation("Malformed input request: #: required key [" + key
                            + "] not found, please reformat your input and try again.").failure();
                }
            }
        }
    }

    /** A {@code chunk} event whose {@code bytes} member is the base64 of one Anthropic stream event. */
    static byte[] chunk(JsonNode anthropicEvent, int paddingIndex) {
        ObjectNode part = JSON.createObjectNode()
                .put("bytes", Base64.getEncoder().encodeToString(EventFrames.bytes(anthropicEvent)));
        return EventFrames.event("chunk", EventFrames.padded(part, paddingIndex));
    }

    static ObjectNode converseUsage(Usage usage) {
        ObjectNode node = JSON.createObjectNode()
                .put("inputTokens", usage.inputTokens())
                .put("outputTokens", usage.outputTokens())
                .put("totalTokens", usage.totalTokens());
        if (usage.cacheReadInputTokens() > 0) {
            node.put("cacheReadInputTokens", usage.cacheReadInputTokens());
        }
        if (usage.cacheWriteInputTokens() > 0) {
            node.put("cacheWriteInputTokens", usage.cacheWriteInputTokens());
        }
        return node;
    }

    private static ObjectNode anthropicUsage(Usage usage, int outputTokens) {
        ObjectNode node = JSON.createObjectNode().put("input_tokens", usage.inputTokens());
        node.put("cache_creation_input_tokens", usage.cacheWriteInputTokens());
        node.put("cache_read_input_tokens", usage.cacheReadInputTokens());
        return node.put("output_tokens", outputTokens);
    }
}
