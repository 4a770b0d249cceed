package io.bedrockgateway.fake;

import java.util.List;

/**
 * The Bedrock data-plane operations the fake serves, with the method and resource path the AWS SDK for Java v2
 * (2.50.2) marshals for each. Immutable and thread-safe.
 */
enum Operation {
    CONVERSE("Converse", Operation.RUNTIME, "POST", "/model/{modelId}/converse", false),
    CONVERSE_STREAM("ConverseStream", Operation.RUNTIME, "POST", "/model/{modelId}/converse-stream", true),
    INVOKE_MODEL("InvokeModel", Operation.RUNTIME, "POST", "/model/{modelId}/invoke", false),
    INVOKE_MODEL_STREAM("InvokeModelWithResponseStream", Operation.RUNTIME, "POST",
            "/model/{modelId}/invoke-with-response-stream", true),
    COUNT_TOKENS("CountTokens", Operation.RUNTIME, "POST", "/model/{modelId}/count-tokens", false),
    APPLY_GUARDRAIL("ApplyGuardrail", Operation.RUNTIME, "POST",
            "/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply", false),
    START_ASYNC_INVOKE("StartAsyncInvoke", Operation.RUNTIME, "POST", "/async-invoke", false),
    GET_ASYNC_INVOKE("GetAsyncInvoke", Operation.RUNTIME, "GET", "/async-invoke/{invocationArn}", false),
    LIST_ASYNC_INVOKES("ListAsyncInvokes", Operation.RUNTIME, "GET", "/async-invoke", false),

    INVOKE_AGENT("InvokeAgent", Operation.AGENT, "POST",
            "/agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text", true),
    INVOKE_INLINE_AGENT("InvokeInlineAgent", Operation.AGENT, "POST", "/agents/{sessionId}", true),
    RETRIEVE("Retrieve", Operation.AGENT, "POST", "/knowledgebases/{knowledgeBaseId}/retrieve", false),
    RETRIEVE_AND_GENERATE("RetrieveAndGenerate", Operation.AGENT, "POST", "/retrieveAndGenerate", false),
    RETRIEVE_AND_GENERATE_STREAM("RetrieveAndGenerateStream", Operation.AGENT, "POST", "/retrieveAndGenerateStream",
            true),
    RERANK("Rerank", Operation.AGENT, "POST", "/rerank", false),
    INVOKE_FLOW("InvokeFlow", Operation.AGENT, "POST", "/flows/{flowIdentifier}/aliases/{flowAliasIdentifier}", true),
    CREATE_SESSION("CreateSession", Operation.AGENT, "PUT", "/sessions/", false),
    GET_SESSION("GetSession", Operation.AGENT, "GET", "/sessions/{sessionIdentifier}/", false),
    END_SESSION("EndSession", Operation.AGENT, "PATCH", "/sessions/{sessionIdentifier}", false),
    DELETE_SESSION("DeleteSession", Operation.AGENT, "DELETE", "/sessions/{sessionIdentifier}/", false);

    static final String RUNTIME = "bedrock-runtime";
    static final String AGENT = "bedrock-agent-runtime";

    private final String awsName;
    private final String service;
    private final String method;
    private final List<String> template;
    private final boolean streaming;

    Operation(String awsName, String service, String method, String path, boolean streaming) {
        this.awsName = awsName;
        this.service = service;
        this.method = method;
        this.template = List.of(path.substring(1).split("/", -1));
        this.streaming = streaming;
    }

    static Operation valueOfAwsName(String awsName) {
        for (Operation op : values()) {
            if (op.awsName.equals(awsName)) {
                return op;
            }
        }
        throw new IllegalArgumentException(awsName);
    }

    String awsName() {
        return awsName;
    }

    String service() {
        return service;
    }

    boolean streaming() {
        return streaming;
    }

    /** Whether the method and the decoded path segments fit this operation's template. */
    boolean matches(String requestMethod, List<String> segments) {
        if (!method.equals(requestMethod) || segments.size() != template.size()) {
            return false;
        }
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            boolean placeholder = t.startsWith("{");
            if (placeholder ? segments.get(i).isEmpty() : !t.equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The value of a {@code {name}} placeholder in matching segments, or {@code null}. */
    String param(String name, List<String> segments) {
        int i = template.indexOf("{" + name + "}");
        return i < 0 ? null : segments.get(i);
    }
}
