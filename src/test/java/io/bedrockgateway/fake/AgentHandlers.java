package io.bedrockgateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.bedrockgateway.fake.EventFrames.JSON;

/**
 * bedrock-agent-runtime operations: agents (InvokeAgent, InvokeInlineAgent), knowledge bases (Retrieve,
 * RetrieveAndGenerate, RetrieveAndGenerateStream), Rerank, InvokeFlow and sessions (kept in memory).
 * Thread-safe: the session store is a concurrent map.
 */
final class AgentHandlers {
    private final Map<String, ObjectNode> sessions = new ConcurrentHashMap<>();

    FakeResponse invokeAgent(Call call) {
        JsonNode body = call.body();
        String sessionId = call.route.param("sessionId");
        List<String> headers = new ArrayList<>(List.of("x-amzn-bedrock-agent-content-type", "application/json",
                "x-amz-bedrock-agent-session-id", sessionId));
        if (body.hasNonNull("memoryId")) {
            headers.addAll(List.of("x-amz-bedrock-agent-memory-id", body.get("memoryId").asText()));
        }
        return FakeResponse.stream(agentPlan(call, call.route.param("agentId"), call.route.param("agentAliasId"),
                sessionId), headers.toArray(String[]::new));
    }

    FakeResponse invokeInlineAgent(Call call) {
        String model = call.require("foundationModel").asText();
        if (call.settings.invalidModel(model)) {
            throw AwsError.invalidModel().failure();
        }
        call.require("instruction");
        String sessionId = call.route.param("sessionId");
        return FakeResponse.stream(agentPlan(call, "INLINE_AGENT", "INLINE_AGENT", sessionId),
                "x-amzn-bedrock-agent-content-type", "application/json", "x-amz-bedrock-agent-session-id", sessionId);
    }

    /** Optional {@code trace} (when the request sets {@code enableTrace}), then one {@code chunk} per delta. */
    private static EventStreamPlan agentPlan(Call call, String agentId, String aliasId, String sessionId) {
        List<byte[]> head = new ArrayList<>();
        if (call.body().path("enableTrace").asBoolean(false)) {
            Usage usage = call.usage();
            ObjectNode trace = JSON.createObjectNode().put("agentId", agentId).put("agentAliasId", aliasId)
                    .put("sessionId", sessionId).put("agentVersion", "1").put("eventTime", call.now().toString());
            ObjectNode output = trace.putObject("trace").putObject("orchestrationTrace")
                    .putObject("modelInvocationOutput").put("traceId", call.request.requestId() + "-0");
            output.putObject("rawResponse").put("content", call.settings.responseText);
            output.putObject("metadata").putObject("usage")
                    .put("inputTokens", usage.inputTokens()).put("outputTokens", usage.outputTokens());
            head.add(EventFrames.event("trace", trace));
        }
        return new EventStreamPlan(head, text -> EventFrames.event("chunk", JSON.createObjectNode()
                .put("bytes", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)))),
                call.settings.deltas(), List.of());
    }

    FakeResponse retrieve(Call call) {
        call.require("retrievalQuery").path("text");
        ObjectNode body = JSON.createObjectNode();
        ArrayNode results = body.putArray("retrievalResults");
        for (int i = 1; i <= 2; i++) {
            ObjectNode result = results.addObject();
            result.putObject("content").put("type", "TEXT").put("text", "Fake passage " + i + " from "
                    + call.route.param("knowledgeBaseId") + ".");
            result.set("location", s3Location(i));
            result.put("score", 1.0 - i / 10.0);
            result.putObject("metadata").put("x-amz-bedrock-kb-source-uri", "s3://fake-kb/doc-" + i + ".txt");
        }
        return FakeResponse.json(body);
    }

    FakeResponse retrieveAndGenerate(Call call) {
        call.require("input");
        String sessionId = call.body().path("sessionId").asText(UUID.randomUUID().toString());
        String text = call.settings.responseText;
        ObjectNode body = JSON.createObjectNode().put("sessionId", sessionId);
        body.putObject("output").put("text", text);
        body.putArray("citations").add(citation(text));
        return FakeResponse.json(body);
    }

    FakeResponse retrieveAndGenerateStream(Call call) {
        call.require("input");
        String sessionId = call.body().path("sessionId").asText(UUID.randomUUID().toString());
        EventStreamPlan plan = new EventStreamPlan(List.of(),
                text -> EventFrames.event("output", JSON.createObjectNode().put("text", text)),
                call.settings.deltas(),
                List.of(EventFrames.event("citation", citationEvent(call.settings.responseText))));
        return FakeResponse.stream(plan, "x-amzn-bedrock-knowledge-base-session-id", sessionId);
    }

    FakeResponse rerank(Call call) {
        call.requireArray("queries");
        int sources = call.requireArray("sources").size();
        int wanted = call.require("rerankingConfiguration").path("bedrockRerankingConfiguration")
                .path("numberOfResults").asInt(sources);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode results = body.putArray("results");
        for (int i = 0; i < Math.min(sources, wanted); i++) {
            results.addObject().put("index", i).put("relevanceScore", 0.9 - i * 0.1);
        }
        return FakeResponse.json(body);
    }

    FakeResponse invokeFlow(Call call) {
        call.requireArray("inputs");
        EventStreamPlan plan = new EventStreamPlan(List.of(),
                text -> {
                    ObjectNode output = JSON.createObjectNode().put("nodeName", "FlowOutputNode")
                            .put("nodeType", "Output");
                    output.putObject("content").put("document", text);
                    return EventFrames.event("flowOutputEvent", output);
                },
                call.settings.deltas(),
                List.of(EventFrames.event("flowCompletionEvent",
                        JSON.createObjectNode().put("completionReason", "SUCCESS"))));
        return FakeResponse.stream(plan, "x-amz-bedrock-flow-execution-id", UUID.randomUUID().toString());
    }

    FakeResponse createSession(Call call) {
        JsonNode request = call.request.body().length == 0 ? JSON.createObjectNode() : call.body();
        String id = UUID.randomUUID().toString();
        String now = call.now().toString();
        ObjectNode session = JSON.createObjectNode().put("sessionId", id).put("sessionArn", call.arn("session/" + id))
                .put("sessionStatus", "ACTIVE").put("createdAt", now).put("lastUpdatedAt", now);
        if (request.has("sessionMetadata")) {
            session.set("sessionMetadata", request.get("sessionMetadata"));
        }
        if (request.has("encryptionKeyArn")) {
            session.set("encryptionKeyArn", request.get("encryptionKeyArn"));
        }
        sessions.put(id, session);
        return FakeResponse.json(session.deepCopy().retain("sessionId", "sessionArn", "sessionStatus", "createdAt"));
    }

    FakeResponse getSession(Call call) {
        return FakeResponse.json(session(call));
    }

    FakeResponse endSession(Call call) {
        ObjectNode session = session(call);
        session.put("sessionStatus", "ENDED").put("lastUpdatedAt", call.now().toString());
        return FakeResponse.json(session.deepCopy().retain("sessionId", "sessionArn", "sessionStatus"));
    }

    FakeResponse deleteSession(Call call) {
        sessions.remove(session(call).get("sessionId").asText());
        return FakeResponse.json(JSON.createObjectNode());
    }

    private ObjectNode session(Call call) {
        String identifier = call.route.param("sessionIdentifier");
        String id = identifier.substring(identifier.lastIndexOf('/') + 1);
        ObjectNode session = sessions.get(id);
        if (session == null) {
            throw AwsError.notFound("Session " + identifier + " not found.").failure();
        }
        return session;
    }

    private static ObjectNode citation(String text) {
        ObjectNode citation = JSON.createObjectNode();
        citation.putObject("generatedResponsePart").putObject("textResponsePart").put("text", text)
                .putObject("span").put("start", 0).put("end", Math.max(0, text.length() - 1));
        ObjectNode reference = citation.putArray("retrievedReferences").addObject();
        reference.putObject("content").put("type", "TEXT").put("text", "Fake passage 1.");
        reference.set("location", s3Location(1));
        return citation;
    }

    private static ObjectNode citationEvent(String text) {
        ObjectNode citation = citation(text);
        ObjectNode event = JSON.createObjectNode();
        event.set("generatedResponsePart", citation.get("generatedResponsePart"));
        event.set("retrievedReferences", citation.get("retrievedReferences"));
        return event;
    }

    private static ObjectNode s3Location(int i) {
        ObjectNode location = JSON.createObjectNode().put("type", "S3");
        location.putObject("s3Location").put("uri", "s3://fake-kb/doc-" + i + ".txt");
        return location;
    }
}
