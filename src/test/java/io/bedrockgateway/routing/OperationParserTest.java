package io.bedrockgateway.routing;

import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationParserTest {
    private static final String PROFILE_ID = "us.anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static final String PROFILE_ARN =
            "arn:aws:bedrock:us-west-2:123456789012:inference-profile/" + PROFILE_ID;
    private static final String ENCODED_ARN = "arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile"
            + "%2Fus.anthropic.claude-3-5-sonnet-20240620-v1%3A0";

    /** Every route, as the AWS SDK v2 2.50.2 marshallers define it: method, path, service, name, streaming. */
    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource({
            "POST,   /model/m1/converse,                                     RUNTIME, Converse, false",
            "POST,   /model/m1/converse-stream,                              RUNTIME, ConverseStream, true",
            "POST,   /model/m1/invoke,                                       RUNTIME, InvokeModel, false",
            "POST,   /model/m1/invoke-with-response-stream,                  RUNTIME, InvokeModelWithResponseStream, true",
            "POST,   /model/m1/count-tokens,                                 RUNTIME, CountTokens, false",
            "POST,   /guardrail/gr1/version/DRAFT/apply,                     RUNTIME, ApplyGuardrail, false",
            "POST,   /guardrail-checks/invoke,                               RUNTIME, InvokeGuardrailChecks, false",
            "POST,   /async-invoke,                                          RUNTIME, StartAsyncInvoke, false",
            "GET,    /async-invoke,                                          RUNTIME, ListAsyncInvokes, false",
            "GET,    /async-invoke/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aasync-invoke%2Fx, RUNTIME, GetAsyncInvoke, false",
            "POST,   /agents/A1/agentAliases/AL1/sessions/s1/text,           AGENT_RUNTIME, InvokeAgent, true",
            "POST,   /agents/s1,                                             AGENT_RUNTIME, InvokeInlineAgent, true",
            "GET,    /agents/A1/agentAliases/AL1/memories,                   AGENT_RUNTIME, GetAgentMemory, false",
            "DELETE, /agents/A1/agentAliases/AL1/memories,                   AGENT_RUNTIME, DeleteAgentMemory, false",
            "POST,   /knowledgebases/KB1/retrieve,                           AGENT_RUNTIME, Retrieve, false",
            "POST,   /knowledgebases/KB1/datasources/DS1/documents/D1/content, AGENT_RUNTIME, GetDocumentContent, false",
            "POST,   /retrieveAndGenerate,                                   AGENT_RUNTIME, RetrieveAndGenerate, false",
            "POST,   /retrieveAndGenerateStream,                             AGENT_RUNTIME, RetrieveAndGenerateStream, true",
            "POST,   /agenticRetrieveStream,                                 AGENT_RUNTIME, AgenticRetrieveStream, true",
            "POST,   /rerank,                                                AGENT_RUNTIME, Rerank, false",
            "POST,   /generateQuery,                                         AGENT_RUNTIME, GenerateQuery, false",
            "POST,   /optimize-prompt,                                       AGENT_RUNTIME, OptimizePrompt, true",
            "POST,   /flows/F1/aliases/FA1,                                  AGENT_RUNTIME, InvokeFlow, true",
            "POST,   /flows/F1/aliases/FA1/executions,                       AGENT_RUNTIME, StartFlowExecution, false",
            "GET,    /flows/F1/executions,                                   AGENT_RUNTIME, ListFlowExecutions, false",
            "GET,    /flows/F1/aliases/FA1/executions/E1,                    AGENT_RUNTIME, GetFlowExecution, false",
            "POST,   /flows/F1/aliases/FA1/executions/E1/stop,               AGENT_RUNTIME, StopFlowExecution, false",
            "GET,    /flows/F1/aliases/FA1/executions/E1/events,             AGENT_RUNTIME, ListFlowExecutionEvents, false",
            "GET,    /flows/F1/aliases/FA1/executions/E1/flowsnapshot,       AGENT_RUNTIME, GetExecutionFlowSnapshot, false",
            "PUT,    /sessions/,                                             AGENT_RUNTIME, CreateSession, false",
            "POST,   /sessions/,                                             AGENT_RUNTIME, ListSessions, false",
            "GET,    /sessions/S1/,                                          AGENT_RUNTIME, GetSession, false",
            "PUT,    /sessions/S1/,                                          AGENT_RUNTIME, UpdateSession, false",
            "DELETE, /sessions/S1/,                                          AGENT_RUNTIME, DeleteSession, false",
            "PATCH,  /sessions/S1,                                           AGENT_RUNTIME, EndSession, false",
            "PUT,    /sessions/S1/invocations/,                              AGENT_RUNTIME, CreateInvocation, false",
            "POST,   /sessions/S1/invocations/,                              AGENT_RUNTIME, ListInvocations, false",
            "PUT,    /sessions/S1/invocationSteps/,                          AGENT_RUNTIME, PutInvocationStep, false",
            "POST,   /sessions/S1/invocationSteps/,                          AGENT_RUNTIME, ListInvocationSteps, false",
            "POST,   /sessions/S1/invocationSteps/ST1,                       AGENT_RUNTIME, GetInvocationStep, false",
            "POST,   /tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Asession%2Fs1, AGENT_RUNTIME, TagResource, false",
            "DELETE, /tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Asession%2Fs1, AGENT_RUNTIME, UntagResource, false",
            "GET,    /tags/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Asession%2Fs1, AGENT_RUNTIME, ListTagsForResource, false",
    })
    void recognisesEveryRoute(String method, String path, BedrockService service, String name, boolean streaming) {
        BedrockOperation operation = OperationParser.parse(method, path);
        assertEquals(service, operation.service());
        assertEquals(name, operation.name());
        assertEquals(method, operation.method());
        assertEquals(streaming, operation.streaming());
        assertEquals(path, operation.upstreamPath(operation.modelId()), "path round-trips unchanged");
        assertEquals(path.startsWith("/model/"), operation.modelScoped());
    }

    @Test
    void trailingSlashIsKeptAsEmptySegment() {
        BedrockOperation op = OperationParser.parse("GET", "/sessions/S1/");
        assertEquals(List.of("sessions", "S1", ""), op.pathSegments());
        assertEquals("/sessions/S1/", op.upstreamPath(null));
        assertEquals("/sessions/", OperationParser.parse("PUT", "/sessions/").upstreamPath(null));
    }

    @Test
    void encodedModelId() {
        BedrockOperation op = OperationParser.parse("POST",
                "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
        assertEquals(PROFILE_ID, op.modelId());
        assertEquals(1, op.modelSegment());
        assertEquals(List.of("model", PROFILE_ID, "converse"), op.pathSegments());
        assertEquals("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", op.upstreamPath(op.modelId()));
    }

    @Test
    void rawColonInModelId() {
        BedrockOperation op = OperationParser.parse("POST", "/model/" + PROFILE_ID + "/converse-stream");
        assertEquals(PROFILE_ID, op.modelId());
        assertTrue(op.streaming());
        assertEquals("/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream",
                op.upstreamPath(op.modelId()));
    }

    @Test
    void encodedArnModelId() {
        BedrockOperation op = OperationParser.parse("POST", "/model/" + ENCODED_ARN + "/converse");
        assertEquals(PROFILE_ARN, op.modelId());
        assertEquals("/model/" + ENCODED_ARN + "/converse", op.upstreamPath(op.modelId()));
    }

    @Test
    void rawArnModelIdIsRejoined() {
        BedrockOperation op = OperationParser.parse("POST", "/model/" + PROFILE_ARN + "/converse");
        assertEquals(List.of("model", PROFILE_ARN, "converse"), op.pathSegments());
        assertEquals(PROFILE_ARN, op.modelId());
        assertEquals("/model/" + ENCODED_ARN + "/converse", op.upstreamPath(op.modelId()));
    }

    @Test
    void aliasReplacedByUpstreamArn() {
        BedrockOperation op = OperationParser.parse("POST", "/model/my-claude/invoke");
        assertEquals("my-claude", op.modelId());
        assertEquals("/model/" + ENCODED_ARN + "/invoke", op.upstreamPath(PROFILE_ARN));
    }

    @Test
    void aliasWithSlash() {
        BedrockOperation op = OperationParser.parse("POST", "/model/team/claude/converse");
        assertEquals("team/claude", op.modelId());
    }

    @Test
    void rawArnsInOtherIdentifiers() {
        String guardrailArn = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123";
        BedrockOperation guardrail = OperationParser.parse("POST", "/guardrail/" + guardrailArn + "/version/1/apply");
        assertEquals(List.of("guardrail", guardrailArn, "version", "1", "apply"), guardrail.pathSegments());
        assertEquals("/guardrail/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aguardrail%2Fabc123/version/1/apply",
                guardrail.upstreamPath(null));
        assertFalse(guardrail.modelScoped());

        String asyncArn = "arn:aws:bedrock:us-east-1:123456789012:async-invoke/job1";
        assertEquals(List.of("async-invoke", asyncArn),
                OperationParser.parse("GET", "/async-invoke/" + asyncArn).pathSegments());

        String sessionArn = "arn:aws:bedrock:us-east-1:123456789012:session/s1";
        BedrockOperation create = OperationParser.parse("PUT", "/sessions/" + sessionArn + "/invocations/");
        assertEquals("CreateInvocation", create.name());
        assertEquals(List.of("sessions", sessionArn, "invocations", ""), create.pathSegments());
        assertEquals("UpdateSession", OperationParser.parse("PUT", "/sessions/" + sessionArn + "/").name());
        assertEquals("EndSession", OperationParser.parse("PATCH", "/sessions/" + sessionArn).name());
    }

    @Test
    void nonArnValuesDoNotSpanSegments() {
        // "S1/invocations" is no ARN, so this is not UpdateSession of a session called "S1/x".
        assertUnknown("GET", "/sessions/S1/x/");
        assertUnknown("POST", "/guardrail/a/b/version/1/apply");
    }

    @ParameterizedTest
    @CsvSource({
            "GET,     /model/m1/converse",
            "PUT,     /model/m1/invoke",
            "post,    /model/m1/converse",
            "POST,    /model/m1/chat",
            "POST,    /model/m1/converse/",
            "POST,    /model//converse",
            "POST,    /model/converse",
            "POST,    /model/a//b/converse",
            "DELETE,  /async-invoke",
            "POST,    /async-invoke/x",
            "GET,     /sessions/S1",
            "PATCH,   /sessions/S1/",
            "GET,     /sessions",
            "POST,    /sessions/S1/invocations",
            "GET,     /agents/A1/agentAliases/AL1/sessions/s1/text",
            "POST,    /agents/A1/agentAliases/AL1/memories",
            "POST,    /agents",
            "GET,     /rerank",
            "POST,    /foundation-models",
            "GET,     /",
            "POST,    /openai/v1/chat/completions",
            "HEAD,    /model/m1/converse",
            "POST,    /retrieveandgenerate",
            "POST,    /knowledgebases//retrieve",
    })
    void unknownOperations(String method, String path) {
        assertUnknown(method, path);
    }

    @Test
    void emptyOrRelativePathIsUnknown() {
        assertUnknown("POST", "");
        assertUnknown("POST", "model/m1/converse");
        assertUnknown(null, "/rerank");
    }

    @Test
    void bidirectionalStreamIsRefusedByName() {
        GatewayException e = assertThrows(GatewayException.class,
                () -> OperationParser.parse("POST", "/model/m1/invoke-with-bidirectional-stream"));
        assertEquals(GatewayError.UNKNOWN_OPERATION, e.error());
        assertTrue(e.getMessage().contains("InvokeModelWithBidirectionalStream"));
    }

    @Test
    void malformedEscapeIsValidationError() {
        for (String path : List.of("/model/abc%3/converse", "/model/abc%zz/converse", "/model/abc%")) {
            GatewayException e = assertThrows(GatewayException.class, () -> OperationParser.parse("POST", path));
            assertEquals(GatewayError.VALIDATION, e.error(), path);
        }
    }

    @Test
    void longPathIsTruncatedInMessage() {
        String path = "/x" + "a".repeat(5000);
        GatewayException e = assertThrows(GatewayException.class, () -> OperationParser.parse("POST", path));
        assertTrue(e.getMessage().length() < 400);
    }

    @Test
    void nonModelOperationsHaveNoModel() {
        BedrockOperation op = OperationParser.parse("POST", "/agents/A1/agentAliases/AL1/sessions/s1/text");
        assertEquals(-1, op.modelSegment());
        assertNull(op.modelId());
    }

    private static void assertUnknown(String method, String path) {
        GatewayException e = assertThrows(GatewayException.class, () -> OperationParser.parse(method, path),
                method + " " + path);
        assertEquals(GatewayError.UNKNOWN_OPERATION, e.error(), method + " " + path);
    }
}
