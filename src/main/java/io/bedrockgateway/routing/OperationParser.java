package io.bedrockgateway.routing;

import io.bedrockgateway.errors.GatewayError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recognises a client request as one Bedrock data-plane API call (bedrock-runtime or bedrock-agent-runtime).
 *
 * <p>The route templates mirror the AWS SDK v2 2.50.2 request marshallers exactly, including method and trailing
 * slash (several agent-runtime session routes end in {@code /}, and SigV4 signs the path as sent). Identifiers that
 * may be ARNs (model ids, guardrails, async invocations, sessions, tagged resources) are accepted either
 * percent-encoded ({@code %3A}, {@code %2F}) or raw with literal {@code /}, as curl users send them; a raw
 * multi-segment value is rejoined into one decoded segment so that {@link BedrockOperation#upstreamPath} sends the
 * ARN's {@code /} as {@code %2F}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OperationParser {
    private static final int MAX_PATH_IN_MESSAGE = 200;
    private static final Map<String, List<OperationRoute>> ROUTES_BY_FIRST_SEGMENT = index(List.of(
            // bedrock-runtime
            OperationRoute.runtime("Converse", "POST", "/model/{modelId*}/converse", false),
            OperationRoute.runtime("ConverseStream", "POST", "/model/{modelId*}/converse-stream", true),
            OperationRoute.runtime("InvokeModel", "POST", "/model/{modelId*}/invoke", false),
            OperationRoute.runtime("InvokeModelWithResponseStream", "POST",
                    "/model/{modelId*}/invoke-with-response-stream", true),
            OperationRoute.runtime("CountTokens", "POST", "/model/{modelId*}/count-tokens", false),
            OperationRoute.unsupported("InvokeModelWithBidirectionalStream", "POST",
                    "/model/{modelId*}/invoke-with-bidirectional-stream"),
            OperationRoute.runtime("ApplyGuardrail", "POST",
                    "/guardrail/{guardrailIdentifier+}/version/{guardrailVersion}/apply", false),
            OperationRoute.runtime("InvokeGuardrailChecks", "POST", "/guardrail-checks/invoke", false),
            OperationRoute.runtime("StartAsyncInvoke", "POST", "/async-invoke", false),
            OperationRoute.runtime("ListAsyncInvokes", "GET", "/async-invoke", false),
            OperationRoute.runtime("GetAsyncInvoke", "GET", "/async-invoke/{invocationArn+}", false),
            // bedrock-agent-runtime: agents and memory
            OperationRoute.agent("InvokeAgent", "POST",
                    "/agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text", true),
            OperationRoute.agent("InvokeInlineAgent", "POST", "/agents/{sessionId}", true),
            OperationRoute.agent("GetAgentMemory", "GET",
                    "/agents/{agentId}/agentAliases/{agentAliasId}/memories", false),
            OperationRoute.agent("DeleteAgentMemory", "DELETE",
                    "/agents/{agentId}/agentAliases/{agentAliasId}/memories", false),
            // knowledge bases and generation
            OperationRoute.agent("Retrieve", "POST", "/knowledgebases/{knowledgeBaseId}/retrieve", false),
            OperationRoute.agent("GetDocumentContent", "POST",
                    "/knowledgebases/{knowledgeBaseId}/datasources/{dataSourceId}/documents/{documentId}/content",
                    false),
            OperationRoute.agent("RetrieveAndGenerate", "POST", "/retrieveAndGenerate", false),
            OperationRoute.agent("RetrieveAndGenerateStream", "POST", "/retrieveAndGenerateStream", true),
            OperationRoute.agent("AgenticRetrieveStream", "POST", "/agenticRetrieveStream", true),
            OperationRoute.agent("Rerank", "POST", "/rerank", false),
            OperationRoute.agent("GenerateQuery", "POST", "/generateQuery", false),
            OperationRoute.agent("OptimizePrompt", "POST", "/optimize-prompt", true),
            // flows
            OperationRoute.agent("InvokeFlow", "POST", "/flows/{flowIdentifier}/aliases/{flowAliasIdentifier}", true),
            OperationRoute.agent("StartFlowExecution", "POST",
                    "/flows/{flowIdentifier}/aliases/{flowAliasIdentifier}/executions", false),
            OperationRoute.agent("ListFlowExecutions", "GET", "/flows/{flowIdentifier}/executions", false),
            OperationRoute.agent("GetFlowExecution", "GET",
                    "/flows/{flowIdentifier}/aliases/{flowAliasIdentifier}/executions/{executionIdentifier}", false),
            OperationRoute.agent("StopFlowExecution", "POST",
                    "/flows/{flowIdentifier}/aliases/{flowAliasIdentifier}/executions/{executionIdentifier}/stop",
                    false),
            OperationRoute.agent("ListFlowExecutionEvents", "GET",
                    "/flows/{flowIdentifier}/aliases/{flowAliasIdentifier}/executions/{executionIdentifier}/events",
                    false),
            OperationRoute.agent("GetExecutionFlowSnapshot", "GET", "/flows/{flowIdentifier}/aliases/"
                    + "{flowAliasIdentifier}/executions/{executionIdentifier}/flowsnapshot", false),
            // sessions, invocations, invocation steps: trailing slashes exactly as AWS defines them
            OperationRoute.agent("CreateSession", "PUT", "/sessions/", false),
            OperationRoute.agent("ListSessions", "POST", "/sessions/", false),
            OperationRoute.agent("GetSession", "GET", "/sessions/{sessionIdentifier+}/", false),
            OperationRoute.agent("UpdateSession", "PUT", "/sessions/{sessionIdentifier+}/", false),
            OperationRoute.agent("DeleteSession", "DELETE", "/sessions/{sessionIdentifier+}/", false),
            OperationRoute.agent("EndSession", "PATCH", "/sessions/{sessionIdentifier+}", false),
            OperationRoute.agent("CreateInvocation", "PUT", "/sessions/{sessionIdentifier+}/invocations/", false),
            OperationRoute.agent("ListInvocations", "POST", "/sessions/{sessionIdentifier+}/invocations/", false),
            OperationRoute.agent("PutInvocationStep", "PUT",
                    "/sessions/{sessionIdentifier+}/invocationSteps/", false),
            OperationRoute.agent("ListInvocationSteps", "POST",
                    "/sessions/{sessionIdentifier+}/invocationSteps/", false),
            OperationRoute.agent("GetInvocationStep", "POST",
                    "/sessions/{sessionIdentifier+}/invocationSteps/{invocationStepId}", false),
            // tags (sessions are the taggable agent-runtime resource)
            OperationRoute.agent("TagResource", "POST", "/tags/{resourceArn+}", false),
            OperationRoute.agent("UntagResource", "DELETE", "/tags/{resourceArn+}", false),
            OperationRoute.agent("ListTagsForResource", "GET", "/tags/{resourceArn+}", false)));

    private OperationParser() {
    }

    /**
     * Parses one client request.
     *
     * @param method  the HTTP method as the client sent it (methods are case-sensitive)
     * @param rawPath the still percent-encoded path below {@code /bedrock}, starting with {@code /}
     * @return the recognised operation; for model-scoped operations {@code pathSegments} is
     *         {@code ["model", "<full decoded id>", "<operation>"]}
     * @throws io.bedrockgateway.errors.GatewayException {@link GatewayError#UNKNOWN_OPERATION} when the method and
     *         path are no Bedrock data-plane API, {@link GatewayError#VALIDATION} on a malformed percent escape
     */
    public static BedrockOperation parse(String method, String rawPath) {
        if (method == null || rawPath == null || !rawPath.startsWith("/")) {
            throw unknown(method, rawPath);
        }
        List<String> segments = decode(rawPath);
        List<OperationRoute> candidates = segments.isEmpty()
                ? List.of() : ROUTES_BY_FIRST_SEGMENT.getOrDefault(segments.get(0), List.of());
        for (OperationRoute route : candidates) {
            if (!route.method().equals(method)) {
                continue;
            }
            List<String> matched = route.match(segments);
            if (matched != null) {
                return route.toOperation(matched);
            }
        }
        throw unknown(method, rawPath);
    }

    private static List<String> decode(String rawPath) {
        try {
            return PathCodec.decodeSegments(rawPath);
        } catch (IllegalArgumentException e) {
            throw GatewayError.VALIDATION.exception("Malformed percent-encoding in request path");
        }
    }

    private static RuntimeException unknown(String method, String rawPath) {
        String path = rawPath == null ? "" : rawPath;
        if (path.length() > MAX_PATH_IN_MESSAGE) {
            path = path.substring(0, MAX_PATH_IN_MESSAGE) + "...";
        }
        return GatewayError.UNKNOWN_OPERATION.exception(
                "No Bedrock data-plane operation matches " + method + " " + path);
    }

    private static Map<String, List<OperationRoute>> index(List<OperationRoute> routes) {
        Map<String, List<OperationRoute>> byFirst = new HashMap<>();
        for (OperationRoute route : routes) {
            byFirst.computeIfAbsent(route.firstSegment(), k -> new ArrayList<>()).add(route);
        }
        // More literal segments first, so a raw ARN never swallows a literal such as "invocations".
        byFirst.replaceAll((first, list) -> {
            list.sort(Comparator.comparingInt(OperationRoute::literalCount).reversed());
            return List.copyOf(list);
        });
        return Map.copyOf(byFirst);
    }
}
