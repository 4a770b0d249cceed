package io.bedrockgateway.spend;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.bedrockgateway.spend.TestFrames.feedBody;
import static io.bedrockgateway.spend.TestFrames.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonBodyUsageTapTest {
    private static final String CONVERSE = """
            {"metrics":{"latencyMs":420},"output":{"message":{"role":"assistant","content":[{"text":"Hi \\"usage\\": {}"}]}},
             "stopReason":"end_turn","usage":{"inputTokens":1200,"outputTokens":345,"totalTokens":1695,
             "cacheReadInputTokens":100,"cacheWriteInputTokens":50}}""";

    @Test
    void converseBodyFedInSmallChunks() {
        UsageTap tap = JsonBodyUsageTap.converse();
        tap.onHead(200, headers("Content-Type", "application/json"));
        feedBody(tap, 7, CONVERSE);
        assertEquals(new Usage(1200, 345, 100, 50), tap.usage());
        assertEquals(new Usage(1200, 345, 100, 50), tap.usage());
    }

    @Test
    void aBodyCutShortHasNoUsageYet() {
        UsageTap tap = JsonBodyUsageTap.converse();
        tap.onHead(200, headers());
        feedBody(tap, 64, CONVERSE.substring(0, CONVERSE.length() / 2));
        assertEquals(Usage.NONE, tap.usage());
        feedBody(tap, 64, CONVERSE.substring(CONVERSE.length() / 2));
        assertEquals(new Usage(1200, 345, 100, 50), tap.usage());
    }

    @Test
    void errorAnswersAndCompressedBodiesAreNotRead() {
        UsageTap error = JsonBodyUsageTap.converse();
        error.onHead(400, headers("x-amzn-ErrorType", "ValidationException"));
        feedBody(error, 100, "{\"message\":\"bad\",\"usage\":{\"inputTokens\":5}}");
        assertEquals(Usage.NONE, error.usage());

        UsageTap gzip = JsonBodyUsageTap.converse();
        gzip.onHead(200, headers("Content-Encoding", "gzip"));
        feedBody(gzip, 100, CONVERSE);
        assertEquals(Usage.NONE, gzip.usage());
    }

    @Test
    void invokeHeadersWinOverTheBody() {
        UsageTap tap = JsonBodyUsageTap.invokeModel();
        tap.onHead(200, headers("X-Amzn-Bedrock-Input-Token-Count", "1200",
                "X-Amzn-Bedrock-Output-Token-Count", "345", "X-Amzn-Bedrock-Cache-Read-Input-Token-Count", "100",
                "X-Amzn-Bedrock-Cache-Write-Input-Token-Count", "50"));
        feedBody(tap, 50, "{\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}");
        assertEquals(new Usage(1200, 345, 100, 50), tap.usage());
    }

    @Test
    void invokeFallsBackToTheBodyWithoutOrWithBrokenHeaders() {
        UsageTap tap = JsonBodyUsageTap.invokeModel();
        tap.onHead(200, headers("X-Amzn-Bedrock-Input-Token-Count", "many", "X-Amzn-Bedrock-Invocation-Latency", "9"));
        feedBody(tap, 10, """
                {"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hi"}],
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":3,"cache_read_input_tokens":4,"output_tokens":9}}""");
        assertEquals(new Usage(12, 9, 4, 3), tap.usage());
    }

    @Test
    void invokeBodiesOfEachProvider() {
        assertEquals(new Usage(10, 20, 5, 0), invokeBody(
                "{\"output\":{},\"usage\":{\"inputTokens\":10,\"outputTokens\":20,\"totalTokens\":35,"
                        + "\"cacheReadInputTokenCount\":5,\"cacheWriteInputTokenCount\":0}}"));          // Nova
        assertEquals(new Usage(7, 30, 0, 0), invokeBody(
                "{\"inputTextTokenCount\":7,\"results\":[{\"tokenCount\":10,\"outputText\":\"a\"},"
                        + "{\"tokenCount\":20,\"outputText\":\"b\"}]}"));                               // Titan text
        assertEquals(new Usage(9, 0, 0, 0), invokeBody("{\"embedding\":[0.1,0.2],\"inputTextTokenCount\":9}"));
        assertEquals(new Usage(18, 64, 0, 0), invokeBody(
                "{\"generation\":\"x\",\"prompt_token_count\":18,\"generation_token_count\":64,\"stop_reason\":\"stop\"}"));
        assertEquals(new Usage(70, 30, 30, 0), invokeBody(
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":30,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":30}}}"));                       // AI21, OpenAI
        assertEquals(new Usage(11, 22, 0, 0), invokeBody(
                "{\"text\":\"x\",\"meta\":{\"billed_units\":{\"input_tokens\":11,\"output_tokens\":22}}}")); // Cohere
        assertEquals(Usage.NONE, invokeBody("{\"outputs\":[{\"text\":\"mistral says nothing\"}]}"));
    }

    @Test
    void garbageNeverThrows() {
        assertEquals(Usage.NONE, invokeBody("not json at all"));
        assertEquals(Usage.NONE, invokeBody("[1,2,3]"));
        assertEquals(Usage.NONE, invokeBody("{\"usage\":{\"input_tokens\":-5,\"output_tokens\":\"x\"}}"));
        UsageTap tap = JsonBodyUsageTap.converse();
        tap.onBodyChunk(null);
        feedBody(tap, 3, new byte[]{(byte) 0xff, 0, 1, 2, (byte) 0xc3});
        assertEquals(Usage.NONE, tap.usage());
    }

    @Test
    void aBodyPastTheCapKeepsItsTailAndStillFindsTheUsage() {
        String text = "x".repeat(JsonBodyUsageTap.MAX_BODY_BYTES + 12345);
        String body = "{\"output\":{\"message\":{\"content\":[{\"text\":\"" + text + " \\\"usage\\\":{\\\"inputTokens\\\":1}"
                + "\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":3000,\"outputTokens\":300000}}";
        UsageTap tap = JsonBodyUsageTap.converse();
        tap.onHead(200, headers());
        feedBody(tap, 8192, body);
        assertEquals(new Usage(3000, 300000, 0, 0), tap.usage());

        UsageTap bigChunks = JsonBodyUsageTap.converse();
        feedBody(bigChunks, 3 * JsonBodyUsageTap.TAIL_BYTES, body);
        assertEquals(new Usage(3000, 300000, 0, 0), bigChunks.usage());

        UsageTap noUsage = JsonBodyUsageTap.converse();
        feedBody(noUsage, 65536, "{\"images\":[\"" + text + "\"]}");
        assertEquals(Usage.NONE, noUsage.usage());
    }

    private static Usage invokeBody(String body) {
        UsageTap tap = JsonBodyUsageTap.invokeModel();
        tap.onHead(200, headers("Content-Type", "application/json"));
        feedBody(tap, 16, body.getBytes(StandardCharsets.UTF_8));
        return tap.usage();
    }
}
