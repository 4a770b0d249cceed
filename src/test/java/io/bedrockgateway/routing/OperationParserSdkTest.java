package io.bedrockgateway.routing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.AgenticRetrieveStreamResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeFlowResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeInlineAgentResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.OptimizePromptResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Independent check of the route table: the real AWS SDK v2 clients build each request (path encoding, method,
 * trailing slash), an interceptor captures it after signing and aborts before anything is sent, and the parser must
 * recognise it and reproduce the exact path with {@code upstreamPath}.
 */
class OperationParserSdkTest {
    private static final String PROFILE_ARN =
            "arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static final String SESSION_ARN =
            "arn:aws:bedrock:us-west-2:123456789012:session/3f6a7c1e-0000-4000-8000-000000000000";
    /** Exactly the operations for which the SDK has an event-stream response handler. */
    private static final java.util.Set<String> STREAMING = java.util.Set.of("ConverseStream",
            "InvokeModelWithResponseStream", "InvokeAgent", "InvokeInlineAgent", "InvokeFlow",
            "RetrieveAndGenerateStream", "AgenticRetrieveStream", "OptimizePrompt");
    private static final Capture CAPTURE = new Capture();
    private static BedrockRuntimeAsyncClient runtime;
    private static BedrockAgentRuntimeAsyncClient agent;

    @BeforeAll
    static void clients() {
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
        URI nowhere = URI.create("http://127.0.0.1:9"); // never reached: the interceptor aborts first
        runtime = BedrockRuntimeAsyncClient.builder().region(Region.US_WEST_2).credentialsProvider(credentials)
                .endpointOverride(nowhere).overrideConfiguration(o -> o.addExecutionInterceptor(CAPTURE)).build();
        agent = BedrockAgentRuntimeAsyncClient.builder().region(Region.US_WEST_2).credentialsProvider(credentials)
                .endpointOverride(nowhere).overrideConfiguration(o -> o.addExecutionInterceptor(CAPTURE)).build();
    }

    @AfterAll
    static void close() {
        runtime.close();
        agent.close();
    }

    static Stream<Arguments> sdkCalls() {
        return Stream.of(
                rt("Converse", c -> c.converse(r -> r.modelId(PROFILE_ARN))),
                rt("Converse", c -> c.converse(r -> r.modelId("anthropic.claude-3-haiku-20240307-v1:0"))),
                rt("ConverseStream", c -> c.converseStream(r -> r.modelId(PROFILE_ARN),
                        ConverseStreamResponseHandler.builder()
                                .subscriber(ConverseStreamResponseHandler.Visitor.builder().build()).build())),
                rt("InvokeModel", c -> c.invokeModel(r -> r.modelId(PROFILE_ARN).body(SdkBytes.fromUtf8String("{}")))),
                rt("InvokeModelWithResponseStream", c -> c.invokeModelWithResponseStream(
                        r -> r.modelId("amazon.titan-text-express-v1").body(SdkBytes.fromUtf8String("{}")),
                        InvokeModelWithResponseStreamResponseHandler.builder().subscriber(
                                InvokeModelWithResponseStreamResponseHandler.Visitor.builder().build()).build())),
                rt("CountTokens", c -> c.countTokens(r -> r.modelId("anthropic.claude-3-5-haiku-20241022-v1:0"))),
                rt("ApplyGuardrail", c -> c.applyGuardrail(r -> r.guardrailIdentifier(
                        "arn:aws:bedrock:us-west-2:123456789012:guardrail/abc123").guardrailVersion("DRAFT"))),
                rt("InvokeGuardrailChecks", c -> c.invokeGuardrailChecks(r -> { })),
                rt("StartAsyncInvoke", c -> c.startAsyncInvoke(r -> r.modelId("amazon.nova-reel-v1:0"))),
                rt("ListAsyncInvokes", c -> c.listAsyncInvokes(r -> r.maxResults(5))),
                rt("GetAsyncInvoke", c -> c.getAsyncInvoke(r -> r.invocationArn(
                        "arn:aws:bedrock:us-west-2:123456789012:async-invoke/job1"))),
                ag("InvokeAgent", c -> c.invokeAgent(r -> r.agentId("AGENT1").agentAliasId("ALIAS1")
                        .sessionId("s-1"), InvokeAgentResponseHandler.builder()
                        .subscriber(InvokeAgentResponseHandler.Visitor.builder().build()).build())),
                ag("InvokeInlineAgent", c -> c.invokeInlineAgent(r -> r.sessionId("s-1"),
                        InvokeInlineAgentResponseHandler.builder()
                                .subscriber(InvokeInlineAgentResponseHandler.Visitor.builder().build()).build())),
                ag("GetAgentMemory", c -> c.getAgentMemory(r -> r.agentId("A").agentAliasId("B").memoryId("m")
                        .memoryType("SESSION_SUMMARY"))),
                ag("DeleteAgentMemory", c -> c.deleteAgentMemory(r -> r.agentId("A").agentAliasId("B"))),
                ag("Retrieve", c -> c.retrieve(r -> r.knowledgeBaseId("KB1"))),
                ag("GetDocumentContent", c -> c.getDocumentContent(r -> r.knowledgeBaseId("KB1")
                        .dataSourceId("DS1").documentId("D1"))),
                ag("RetrieveAndGenerate", c -> c.retrieveAndGenerate(r -> { })),
                ag("RetrieveAndGenerateStream", c -> c.retrieveAndGenerateStream(r -> { },
                        RetrieveAndGenerateStreamResponseHandler.builder().subscriber(
                                RetrieveAndGenerateStreamResponseHandler.Visitor.builder().build()).build())),
                ag("AgenticRetrieveStream", c -> c.agenticRetrieveStream(r -> { },
                        AgenticRetrieveStreamResponseHandler.builder().subscriber(
                                AgenticRetrieveStreamResponseHandler.Visitor.builder().build()).build())),
                ag("Rerank", c -> c.rerank(r -> { })),
                ag("GenerateQuery", c -> c.generateQuery(r -> { })),
                ag("OptimizePrompt", c -> c.optimizePrompt(r -> { }, OptimizePromptResponseHandler.builder()
                        .subscriber(OptimizePromptResponseHandler.Visitor.builder().build()).build())),
                ag("InvokeFlow", c -> c.invokeFlow(r -> r.flowIdentifier("F1").flowAliasIdentifier("FA1"),
                        InvokeFlowResponseHandler.builder()
                                .subscriber(InvokeFlowResponseHandler.Visitor.builder().build()).build())),
                ag("StartFlowExecution", c -> c.startFlowExecution(r -> r.flowIdentifier("F1")
                        .flowAliasIdentifier("FA1"))),
                ag("ListFlowExecutions", c -> c.listFlowExecutions(r -> r.flowIdentifier("F1"))),
                ag("GetFlowExecution", c -> c.getFlowExecution(r -> r.flowIdentifier("F1")
                        .flowAliasIdentifier("FA1").executionIdentifier("E1"))),
                ag("StopFlowExecution", c -> c.stopFlowExecution(r -> r.flowIdentifier("F1")
                        .flowAliasIdentifier("FA1").executionIdentifier("E1"))),
                ag("ListFlowExecutionEvents", c -> c.listFlowExecutionEvents(r -> r.flowIdentifier("F1")
                        .flowAliasIdentifier("FA1").executionIdentifier("E1").eventType("Flow"))),
                ag("GetExecutionFlowSnapshot", c -> c.getExecutionFlowSnapshot(r -> r.flowIdentifier("F1")
                        .flowAliasIdentifier("FA1").executionIdentifier("E1"))),
                ag("CreateSession", c -> c.createSession(r -> { })),
                ag("ListSessions", c -> c.listSessions(r -> { })),
                ag("GetSession", c -> c.getSession(r -> r.sessionIdentifier(SESSION_ARN))),
                ag("GetSession", c -> c.getSession(r -> r.sessionIdentifier("3f6a7c1e"))),
                ag("UpdateSession", c -> c.updateSession(r -> r.sessionIdentifier("3f6a7c1e"))),
                ag("DeleteSession", c -> c.deleteSession(r -> r.sessionIdentifier(SESSION_ARN))),
                ag("EndSession", c -> c.endSession(r -> r.sessionIdentifier(SESSION_ARN))),
                ag("CreateInvocation", c -> c.createInvocation(r -> r.sessionIdentifier("3f6a7c1e"))),
                ag("ListInvocations", c -> c.listInvocations(r -> r.sessionIdentifier("3f6a7c1e"))),
                ag("PutInvocationStep", c -> c.putInvocationStep(r -> r.sessionIdentifier("3f6a7c1e"))),
                ag("ListInvocationSteps", c -> c.listInvocationSteps(r -> r.sessionIdentifier(SESSION_ARN))),
                ag("GetInvocationStep", c -> c.getInvocationStep(r -> r.sessionIdentifier("3f6a7c1e")
                        .invocationStepId("step-1"))),
                ag("TagResource", c -> c.tagResource(r -> r.resourceArn(SESSION_ARN))),
                ag("UntagResource", c -> c.untagResource(r -> r.resourceArn(SESSION_ARN).tagKeys("k"))),
                ag("ListTagsForResource", c -> c.listTagsForResource(r -> r.resourceArn(SESSION_ARN))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sdkCalls")
    void parserRecognisesWhatTheSdkSends(String expectedName, String ignored,
                                         Function<Object, CompletableFuture<?>> call) throws Exception {
        SdkHttpRequest sent = capture(call);
        BedrockOperation operation = OperationParser.parse(sent.method().name(), sent.encodedPath());
        assertEquals(expectedName, operation.name());
        assertEquals(STREAMING.contains(expectedName), operation.streaming());
        assertEquals(sent.encodedPath(), operation.upstreamPath(operation.modelId()));
    }

    private static synchronized SdkHttpRequest capture(Function<Object, CompletableFuture<?>> call)
            throws Exception {
        CAPTURE.request = null;
        try {
            call.apply(null).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            // the interceptor aborts every call
        }
        assertNotNull(CAPTURE.request, "the SDK built no request");
        return CAPTURE.request;
    }

    private static Arguments rt(String name, Function<BedrockRuntimeAsyncClient, CompletableFuture<?>> call) {
        return Arguments.of(name, "bedrock-runtime", (Function<Object, CompletableFuture<?>>) x -> call.apply(runtime));
    }

    private static Arguments ag(String name, Function<BedrockAgentRuntimeAsyncClient, CompletableFuture<?>> call) {
        return Arguments.of(name, "bedrock-agent-runtime",
                (Function<Object, CompletableFuture<?>>) x -> call.apply(agent));
    }

    /** Keeps the signed request and stops the call before it is transmitted. */
    static final class Capture implements ExecutionInterceptor {
        volatile SdkHttpRequest request;

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            request = context.httpRequest();
            throw new IllegalStateException("captured; not sending");
        }
    }
}
