package io.bedrockgateway.fake;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.CitationEvent;
import software.amazon.awssdk.services.bedrockagentruntime.model.CreateSessionResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.FlowInput;
import software.amazon.awssdk.services.bedrockagentruntime.model.FlowInputContent;
import software.amazon.awssdk.services.bedrockagentruntime.model.GetSessionResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeAgentResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeFlowResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.InvokeInlineAgentResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankQuery;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankQueryContentType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankSource;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankSourceType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RerankingConfigurationType;
import software.amazon.awssdk.services.bedrockagentruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateStreamResponseHandler;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveAndGenerateType;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveResponse;
import software.amazon.awssdk.services.bedrockagentruntime.model.SessionStatus;
import software.amazon.awssdk.services.bedrockagentruntime.model.TracePart;
import software.amazon.awssdk.services.bedrockagentruntime.model.Usage;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bedrock-agent-runtime through the real async SDK client (Netty, HTTP/1.1) pointed straight at the fake. */
class FakeBedrockAgentTest {
    private static final String KB_MODEL_ARN =
            "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0";
    private static FakeBedrock fake;
    private static BedrockAgentRuntimeAsyncClient agent;

    @BeforeAll
    static void start() {
        fake = new FakeBedrock().addCredentials(SdkClients.ACCESS_KEY, SdkClients.SECRET).region("us-west-2");
        fake.start();
        agent = SdkClients.agentAsync(fake);
    }

    @AfterAll
    static void stop() {
        agent.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.clearRequests();
    }

    @Test
    void invokeAgentStreamsChunksAndTraceUsage() throws Exception {
        List<String> chunks = new CopyOnWriteArrayList<>();
        List<TracePart> traces = new CopyOnWriteArrayList<>();
        AtomicReference<InvokeAgentResponse> head = new AtomicReference<>();
        InvokeAgentResponseHandler handler = InvokeAgentResponseHandler.builder()
                .onResponse(head::set)
                .subscriber(InvokeAgentResponseHandler.Visitor.builder()
                        .onChunk(c -> chunks.add(c.bytes().asUtf8String()))
                        .onTrace(traces::add)
                        .build())
                .build();
        agent.invokeAgent(r -> r.agentId("AGENT12345").agentAliasId("TSTALIASID").sessionId("session-1")
                .inputText("Hello agent").enableTrace(true), handler).get(10, TimeUnit.SECONDS);

        assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, String.join("", chunks));
        assertEquals(FakeBedrock.DEFAULT_STREAM_DELTAS, chunks.size());
        assertEquals("session-1", head.get().sessionId());
        assertEquals(1, traces.size());
        Usage usage = traces.get(0).trace().orchestrationTrace().modelInvocationOutput().metadata().usage();
        assertEquals(io.bedrockgateway.fake.Usage.DEFAULT_INPUT_TOKENS, usage.inputTokens());
        assertEquals(io.bedrockgateway.fake.Usage.DEFAULT_OUTPUT_TOKENS, usage.outputTokens());
        RecordedRequest recorded = fake.lastRequest();
        assertEquals("/agents/AGENT12345/agentAliases/TSTALIASID/sessions/session-1/text", recorded.target());
        assertEquals("bedrock-agent-runtime", recorded.service());
        assertTrue(recorded.signatureValid());
    }

    @Test
    void invokeInlineAgentWithoutTraceSendsOnlyChunks() throws Exception {
        List<String> chunks = new CopyOnWriteArrayList<>();
        InvokeInlineAgentResponseHandler handler = InvokeInlineAgentResponseHandler.builder()
                .subscriber(InvokeInlineAgentResponseHandler.Visitor.builder()
                        .onChunk(c -> chunks.add(c.bytes().asUtf8String()))
                        .onTrace(t -> chunks.add("TRACE"))
                        .build())
                .build();
        agent.invokeInlineAgent(r -> r.sessionId("inline-1").foundationModel(FakeBedrockTest.COLON_ID)
                .instruction("You are a helpful fake agent for tests.").inputText("Hi"), handler)
                .get(10, TimeUnit.SECONDS);
        assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, String.join("", chunks));
        assertEquals("/agents/inline-1", fake.lastRequest().target());
    }

    @Test
    void knowledgeBaseOperations() throws Exception {
        RetrieveResponse retrieved = agent.retrieve(r -> r.knowledgeBaseId("KB12345678")
                .retrievalQuery(q -> q.text("what is fake?"))).get(10, TimeUnit.SECONDS);
        assertEquals(2, retrieved.retrievalResults().size());
        assertTrue(retrieved.retrievalResults().get(0).content().text().contains("KB12345678"));
        assertEquals("s3://fake-kb/doc-1.txt", retrieved.retrievalResults().get(0).location().s3Location().uri());

        RetrieveAndGenerateResponse generated = agent.retrieveAndGenerate(r -> r.input(i -> i.text("q"))
                .retrieveAndGenerateConfiguration(c -> c.type(RetrieveAndGenerateType.KNOWLEDGE_BASE)
                        .knowledgeBaseConfiguration(k -> k.knowledgeBaseId("KB12345678").modelArn(KB_MODEL_ARN))))
                .get(10, TimeUnit.SECONDS);
        assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, generated.output().text());
        assertEquals(1, generated.citations().size());
        assertNotNull(generated.sessionId());

        List<String> outputs = new CopyOnWriteArrayList<>();
        List<CitationEvent> citations = new CopyOnWriteArrayList<>();
        agent.retrieveAndGenerateStream(r -> r.input(i -> i.text("q"))
                        .retrieveAndGenerateConfiguration(c -> c.type(RetrieveAndGenerateType.KNOWLEDGE_BASE)
                                .knowledgeBaseConfiguration(k -> k.knowledgeBaseId("KB12345678").modelArn(KB_MODEL_ARN))),
                RetrieveAndGenerateStreamResponseHandler.builder()
                        .subscriber(RetrieveAndGenerateStreamResponseHandler.Visitor.builder()
                                .onOutput(o -> outputs.add(o.text()))
                                .onCitation(citations::add)
                                .build())
                        .build()).get(10, TimeUnit.SECONDS);
        assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, String.join("", outputs));
        assertEquals(1, citations.size());

        RerankResponse reranked = agent.rerank(r -> r
                .queries(RerankQuery.builder().type(RerankQueryContentType.TEXT).textQuery(t -> t.text("q")).build())
                .sources(source("a"), source("b"), source("c"))
                .rerankingConfiguration(c -> c.type(RerankingConfigurationType.BEDROCK_RERANKING_MODEL)
                        .bedrockRerankingConfiguration(b -> b.numberOfResults(2)
                                .modelConfiguration(m -> m.modelArn(KB_MODEL_ARN)))))
                .get(10, TimeUnit.SECONDS);
        assertEquals(2, reranked.results().size());
        assertTrue(fake.requests().stream().allMatch(RecordedRequest::signatureValid));
    }

    @Test
    void invokeFlowStreamsOutputAndCompletion() throws Exception {
        List<String> documents = new CopyOnWriteArrayList<>();
        AtomicReference<String> completion = new AtomicReference<>();
        agent.invokeFlow(r -> r.flowIdentifier("FLOW123456").flowAliasIdentifier("ALIAS12345")
                        .inputs(FlowInput.builder().nodeName("FlowInputNode").nodeOutputName("document")
                                .content(FlowInputContent.fromDocument(Document.fromString("hi"))).build()),
                InvokeFlowResponseHandler.builder()
                        .subscriber(InvokeFlowResponseHandler.Visitor.builder()
                                .onFlowOutputEvent(e -> documents.add(e.content().document().asString()))
                                .onFlowCompletionEvent(e -> completion.set(e.completionReasonAsString()))
                                .build())
                        .build()).get(10, TimeUnit.SECONDS);
        assertEquals(FakeBedrock.DEFAULT_RESPONSE_TEXT, String.join("", documents));
        assertEquals("SUCCESS", completion.get());
    }

    @Test
    void sessionLifecycle() throws Exception {
        CreateSessionResponse created = agent.createSession(r -> r.sessionMetadata(java.util.Map.of("k", "v")))
                .get(10, TimeUnit.SECONDS);
        assertEquals(SessionStatus.ACTIVE, created.sessionStatus());
        assertNotNull(created.createdAt());
        assertEquals("/sessions/", fake.lastRequest().target());
        GetSessionResponse got = agent.getSession(r -> r.sessionIdentifier(created.sessionId()))
                .get(10, TimeUnit.SECONDS);
        assertEquals(created.sessionArn(), got.sessionArn());
        assertEquals("v", got.sessionMetadata().get("k"));
        assertEquals(SessionStatus.ENDED, agent.endSession(r -> r.sessionIdentifier(created.sessionId()))
                .get(10, TimeUnit.SECONDS).sessionStatus());
        agent.deleteSession(r -> r.sessionIdentifier(created.sessionId())).get(10, TimeUnit.SECONDS);
        CompletableFuture<GetSessionResponse> gone = agent.getSession(r -> r.sessionIdentifier(created.sessionId()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> gone.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ResourceNotFoundException.class, e.getCause());
        assertTrue(fake.requests().stream().allMatch(RecordedRequest::signatureValid));
    }

    private static RerankSource source(String text) {
        return RerankSource.builder().type(RerankSourceType.INLINE)
                .inlineDocumentSource(d -> d.type("TEXT").textDocument(t -> t.text(text))).build();
    }
}
