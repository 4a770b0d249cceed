package io.bedrockgateway.spend;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.bedrockgateway.spend.TestFrames.chunk;
import static io.bedrockgateway.spend.TestFrames.concat;
import static io.bedrockgateway.spend.TestFrames.event;
import static io.bedrockgateway.spend.TestFrames.feed;
import static io.bedrockgateway.spend.TestFrames.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InvokeStreamUsageTapTest {
    private static final String MESSAGE_START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-3-5-sonnet-20240620\",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1200,"
            + "\"cache_creation_input_tokens\":50,\"cache_read_input_tokens\":100,\"output_tokens\":1}}}";

    /** An Anthropic stream: start, deltas, message_delta, and a stop carrying the invocation metrics. */
    private static List<byte[]> anthropic(String metrics) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(chunk(MESSAGE_START));
        frames.add(chunk("{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (String text : new String[]{"Hello", " tokens", " usage"}) {
            frames.add(chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                    + "\"text\":\"" + text + "\"}}"));
        }
        frames.add(chunk("{\"type\":\"content_block_stop\",\"index\":0}"));
        frames.add(chunk("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":345}}"));
        frames.add(chunk("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":" + metrics + "}"));
        return frames;
    }

    private static Usage run(int chunkSize, List<byte[]> frames) {
        UsageTap tap = new InvokeStreamUsageTap();
        tap.onHead(200, headers("X-Amzn-Bedrock-Content-Type", "application/json"));
        feed(tap, chunkSize, concat(frames.toArray(byte[][]::new)));
        return tap.usage();
    }

    @Test
    void invocationMetricsAreAuthoritative() {
        String metrics = "{\"inputTokenCount\":1200,\"outputTokenCount\":345,\"invocationLatency\":420,"
                + "\"firstByteLatency\":210,\"cacheReadInputTokenCount\":100,\"cacheWriteInputTokenCount\":50}";
        for (int chunkSize : new int[]{1, 33, 1 << 20}) {
            assertEquals(new Usage(1200, 345, 100, 50), run(chunkSize, anthropic(metrics)));
        }
    }

    @Test
    void invocationMetricsOverrideTheRunningSums() {
        // Bedrock bills what the metrics say, even where the provider's events said otherwise.
        List<byte[]> frames = anthropic("{\"inputTokenCount\":1300,\"outputTokenCount\":400}");
        frames.add(chunk("{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":999}}"));
        assertEquals(new Usage(1300, 400, 0, 0), run(64, frames));
    }

    @Test
    void aStreamCutHalfwayReportsWhatWasSeen() {
        List<byte[]> frames = anthropic("{}");
        assertEquals(new Usage(1200, 1, 100, 50), run(17, frames.subList(0, 4)));
        assertEquals(new Usage(1200, 345, 100, 50), run(17, frames.subList(0, 7)));
        byte[] stream = concat(frames.subList(0, 7).toArray(byte[][]::new));
        UsageTap tap = new InvokeStreamUsageTap();
        feed(tap, 5, java.util.Arrays.copyOf(stream, stream.length - 3));   // the last frame never completes
        assertEquals(new Usage(1200, 1, 100, 50), tap.usage());
    }

    @Test
    void otherProvidersStreams() {
        assertEquals(new Usage(18, 3, 0, 0), run(20, List.of(           // Llama: running generation count
                chunk("{\"generation\":\"a\",\"prompt_token_count\":18,\"generation_token_count\":1}"),
                chunk("{\"generation\":\"b\",\"prompt_token_count\":null,\"generation_token_count\":2}"),
                chunk("{\"generation\":\"c\",\"prompt_token_count\":null,\"generation_token_count\":3,"
                        + "\"stop_reason\":\"stop\"}"))));
        assertEquals(new Usage(5, 21, 0, 0), run(20, List.of(           // Titan
                chunk("{\"outputText\":\"x\",\"index\":0,\"totalOutputTextTokenCount\":21,"
                        + "\"completionReason\":\"FINISH\",\"inputTextTokenCount\":5}"))));
        assertEquals(new Usage(40, 12, 8, 0), run(20, List.of(          // Nova
                chunk("{\"messageStart\":{\"role\":\"assistant\"}}"),
                chunk("{\"contentBlockDelta\":{\"delta\":{\"text\":\"hi\"},\"contentBlockIndex\":0}}"),
                chunk("{\"metadata\":{\"usage\":{\"inputTokens\":40,\"outputTokens\":12,"
                        + "\"cacheReadInputTokenCount\":8}}}"))));
        assertEquals(new Usage(30, 7, 0, 0), run(20, List.of(           // Mistral: only the metrics
                chunk("{\"outputs\":[{\"text\":\"x\",\"stop_reason\":null}]}"),
                chunk("{\"outputs\":[{\"text\":\"y\",\"stop_reason\":\"stop\"}],"
                        + "\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":30,\"outputTokenCount\":7}}"))));
    }

    @Test
    void garbageNeverThrows() {
        UsageTap tap = new InvokeStreamUsageTap();
        feed(tap, 9, concat(
                event("chunk", "{\"bytes\":\"%%% not base64 %%%\"}"),
                event("chunk", "{\"bytes\":42}"),
                event("chunk", "\"bytes\""),
                event("chunk", "{\"bytes\":\"" + java.util.Base64.getEncoder().encodeToString(
                        "{\"usage\": {\"input_tokens\": ".getBytes()) + "\"}"),
                chunk("[\"tokens\"]"),
                chunk("{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":-3}}"),
                TestFrames.exception("modelStreamErrorException", "{\"message\":\"tokens\"}"),
                event("internalServerException", "{\"message\":\"boom\"}")));
        tap.onFrame(ByteBuffer.wrap(new byte[20]));
        assertEquals(Usage.NONE, tap.usage());
        feed(tap, 9, chunk(MESSAGE_START));
        assertEquals(new Usage(1200, 1, 100, 50), tap.usage());
    }
}
