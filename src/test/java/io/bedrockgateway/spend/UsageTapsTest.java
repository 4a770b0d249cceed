package io.bedrockgateway.spend;

import io.bedrockgateway.routing.OperationParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class UsageTapsTest {
    private static UsageTap tap(String method, String path) {
        return UsageTaps.forOperation(OperationParser.parse(method, path));
    }

    @Test
    void eachTokenReportingOperationGetsAFreshTap() {
        String model = "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/";
        assertInstanceOf(JsonBodyUsageTap.class, tap("POST", model + "converse"));
        assertInstanceOf(ConverseStreamUsageTap.class, tap("POST", model + "converse-stream"));
        assertInstanceOf(JsonBodyUsageTap.class, tap("POST", model + "invoke"));
        assertInstanceOf(InvokeStreamUsageTap.class, tap("POST", model + "invoke-with-response-stream"));
        assertInstanceOf(AgentUsageTap.class, tap("POST", "/agents/A1/agentAliases/B1/sessions/s/text"));
        assertInstanceOf(AgentUsageTap.class, tap("POST", "/agents/s"));
        assertNotSame(tap("POST", model + "converse"), tap("POST", model + "converse"));
    }

    @Test
    void operationsWithoutTokenUsageGetNone() {
        String model = "/model/amazon.nova-pro-v1%3A0/";
        assertSame(UsageTap.NONE, tap("POST", model + "count-tokens"));
        assertSame(UsageTap.NONE, tap("POST", "/guardrail/gr1/version/1/apply"));
        assertSame(UsageTap.NONE, tap("POST", "/async-invoke"));
        assertSame(UsageTap.NONE, tap("POST", "/knowledgebases/KB1/retrieve"));
        assertSame(UsageTap.NONE, tap("POST", "/retrieveAndGenerate"));
        assertSame(UsageTap.NONE, tap("POST", "/retrieveAndGenerateStream"));
        assertSame(UsageTap.NONE, tap("POST", "/flows/F1/aliases/A1"));
        assertSame(UsageTap.NONE, tap("POST", "/rerank"));
        assertSame(UsageTap.NONE, UsageTaps.forOperation(null));
    }
}
