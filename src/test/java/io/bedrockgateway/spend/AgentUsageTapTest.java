package io.bedrockgateway.spend;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.bedrockgateway.spend.TestFrames.concat;
import static io.bedrockgateway.spend.TestFrames.event;
import static io.bedrockgateway.spend.TestFrames.feed;
import static io.bedrockgateway.spend.TestFrames.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class AgentUsageTapTest {
    private static final String CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static final String NOVA = "us.amazon.nova-pro-v1:0";

    /** A trace event as InvokeAgent sends it: the agent's identity, then one trace. */
    static byte[] trace(String traceJson) {
        return event("trace", "{\"agentAliasId\":\"TSTALIASID\",\"agentId\":\"AGENT12345\",\"agentVersion\":\"DRAFT\","
                + "\"eventTime\":\"2026-11-22T00:00:00Z\",\"sessionId\":\"s-1\",\"trace\":" + traceJson + "}");
    }

    static byte[] modelInput(String kind, String traceId, String model) {
        String prompt = "You are an agent. Report \\\"usage\\\": {\\\"inputTokens\\\": 999} ".repeat(200);
        return trace("{\"" + kind + "\":{\"modelInvocationInput\":{\"traceId\":\"" + traceId + "\",\"text\":\""
                + prompt + "\",\"type\":\"ORCHESTRATION\"" + (model == null ? "" : ",\"foundationModel\":\"" + model
                + "\"") + ",\"inferenceConfiguration\":{\"maximumLength\":2048,\"stopSequences\":[\"</answer>\"]}}}}");
    }

    static byte[] modelOutput(String kind, String traceId, int input, int output) {
        return trace("{\"" + kind + "\":{\"modelInvocationOutput\":{\"metadata\":{\"clientRequestId\":\"r\","
                + "\"endTime\":\"2026-11-22T00:00:01Z\",\"startTime\":\"2026-11-22T00:00:00Z\",\"totalTimeMs\":900,"
                + "\"usage\":{\"inputTokens\":" + input + ",\"outputTokens\":" + output + "}},"
                + "\"rawResponse\":{\"content\":\"{\\\"usage\\\":{\\\"inputTokens\\\":5}}\"},\"traceId\":\"" + traceId
                + "\"}}}");
    }

    static byte[] chunk(String text) {
        return event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))
                + "\"}");
    }

    private static AgentUsageTap tap() {
        UsageTap tap = UsageTaps.forOperation(io.bedrockgateway.routing.OperationParser.parse("POST",
                "/agents/AGENT12345/agentAliases/TSTALIASID/sessions/s-1/text"));
        return assertInstanceOf(AgentUsageTap.class, tap);
    }

    @Test
    void sumsEveryModelInvocationAcrossTraceKinds() {
        AgentUsageTap tap = tap();
        tap.onHead(200, headers("x-amzn-bedrock-agent-content-type", "application/json"));
        feed(tap, 1000, concat(
                modelInput("preProcessingTrace", "t-pre-0", CLAUDE),
                modelOutput("preProcessingTrace", "t-pre-0", 500, 40),
                modelInput("orchestrationTrace", "t-0", CLAUDE),
                trace("{\"orchestrationTrace\":{\"rationale\":{\"text\":\"I will look it up\",\"traceId\":\"t-0\"}}}"),
                modelOutput("orchestrationTrace", "t-0", 1200, 345),
                trace("{\"orchestrationTrace\":{\"observation\":{\"type\":\"AGENT_COLLABORATOR\",\"traceId\":\"t-0\","
                        + "\"agentCollaboratorInvocationOutput\":{\"agentCollaboratorName\":\"helper\",\"metadata\":"
                        + "{\"usage\":{\"inputTokens\":7000,\"outputTokens\":7000}}}}}}"),
                trace("{\"guardrailTrace\":{\"action\":\"NONE\",\"metadata\":{\"usage\":{\"inputTokens\":50,"
                        + "\"outputTokens\":0}},\"traceId\":\"t-g\"}}"),
                modelOutput("routingClassifierTrace", "t-r-0", 30, 2),
                modelInput("postProcessingTrace", "t-post-0", CLAUDE),
                modelOutput("postProcessingTrace", "t-post-0", 600, 60),
                chunk("The answer is 42 tokens of usage.")));
        assertEquals(new Usage(2330, 447, 0, 0), tap.usage());
        assertEquals(Optional.of(CLAUDE), tap.invokedModel());
        assertEquals(Map.of(CLAUDE, new Usage(2330, 447, 0, 0)), tap.usageByModel());
    }

    @Test
    void collaboratorsWithOtherModelsAreSplitByTraceId() {
        AgentUsageTap tap = tap();
        feed(tap, 333, concat(
                modelInput("orchestrationTrace", "sup-0", CLAUDE),
                modelInput("orchestrationTrace", "col-0", NOVA),
                modelOutput("orchestrationTrace", "sup-0", 1000, 100),   // the supervisor's step ends after
                modelOutput("orchestrationTrace", "col-0", 200, 20),
                modelOutput("orchestrationTrace", "unnamed", 10, 1)));   // no input named it: the last model named
        assertEquals(new Usage(1210, 121, 0, 0), tap.usage());
        assertEquals(Optional.of(CLAUDE), tap.invokedModel());
        assertEquals(Map.of(CLAUDE, new Usage(1000, 100, 0, 0), NOVA, new Usage(210, 21, 0, 0)), tap.usageByModel());
    }

    @Test
    void usageBeforeAnyModelIsNamedIsUnattributed() {
        AgentUsageTap tap = tap();
        feed(tap, 50, modelOutput("orchestrationTrace", "t-0", 12, 3));
        assertEquals(Map.of(AgentUsageTap.UNKNOWN_MODEL, new Usage(12, 3, 0, 0)), tap.usageByModel());
        assertEquals(Optional.empty(), tap.invokedModel());
    }

    @Test
    void anInterruptedStreamKeepsWhatItSaw() {
        AgentUsageTap tap = tap();
        byte[] stream = concat(modelInput("orchestrationTrace", "t-0", CLAUDE),
                modelOutput("orchestrationTrace", "t-0", 100, 10), modelOutput("orchestrationTrace", "t-1", 200, 20));
        feed(tap, 64, java.util.Arrays.copyOf(stream, stream.length - 40));
        assertEquals(new Usage(100, 10, 0, 0), tap.usage());
    }

    @Test
    void withoutTracesThereIsNoUsage() {
        AgentUsageTap tap = tap();
        feed(tap, 64, concat(chunk("Hello"), chunk(" world")));
        assertEquals(Usage.NONE, tap.usage());
        assertEquals(Map.of(), tap.usageByModel());
    }

    @Test
    void garbageNeverThrows() {
        AgentUsageTap tap = tap();
        feed(tap, 64, concat(
                event("trace", "{\"trace\":{\"orchestrationTrace\":{\"modelInvocationOutput\":{\"metadata\":"),
                event("trace", "{\"trace\":{\"orchestrationTrace\":{\"modelInvocationOutput\":{\"metadata\":"
                        + "{\"usage\":{\"inputTokens\":\"many\",\"outputTokens\":-4}}}}}}"),
                event("trace", "[\"modelInvocationOutput\"]"),
                event("trace", "\"modelInvocationOutput\""),
                TestFrames.exception("dependencyFailedException", "{\"message\":\"modelInvocationOutput\"}")));
        tap.onFrame(ByteBuffer.wrap(new byte[]{1, 2, 3}));
        assertEquals(Usage.NONE, tap.usage());
        feed(tap, 64, modelOutput("orchestrationTrace", "t-0", 5, 6));
        assertEquals(new Usage(5, 6, 0, 0), tap.usage());
    }

    @Test
    void inlineAgentsAreTappedToo() {
        UsageTap tap = UsageTaps.forOperation(io.bedrockgateway.routing.OperationParser.parse("POST", "/agents/s-1"));
        feed(tap, 128, List.of(modelInput("orchestrationTrace", "i-0", NOVA),
                modelOutput("orchestrationTrace", "i-0", 8, 9)).stream().reduce(TestFrames::concat).orElseThrow());
        assertEquals(new Usage(8, 9, 0, 0), tap.usage());
        assertEquals(Optional.of(NOVA), ((AgentUsageTap) tap).invokedModel());
    }
}
