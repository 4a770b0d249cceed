package io.bedrockgateway.spend;

import io.bedrockgateway.routing.BedrockOperation;

/**
 * Picks the {@link UsageTap} for a call. Stateless and thread-safe; each call gets a fresh tap.
 *
 * <table>
 *   <caption>Where each operation's usage comes from</caption>
 *   <tr><th>Operation</th><th>Tap</th></tr>
 *   <tr><td>Converse</td><td>the body's {@code usage}</td></tr>
 *   <tr><td>ConverseStream</td><td>the {@code metadata} event's {@code usage}</td></tr>
 *   <tr><td>InvokeModel</td><td>{@code X-Amzn-Bedrock-*-Token-Count} headers, else the provider's body</td></tr>
 *   <tr><td>InvokeModelWithResponseStream</td><td>{@code amazon-bedrock-invocationMetrics}, else running counts
 *       from the provider's chunks</td></tr>
 *   <tr><td>InvokeAgent, InvokeInlineAgent</td><td>{@code trace} events ({@link AgentUsageTap})</td></tr>
 *   <tr><td>anything else</td><td>{@link UsageTap#NONE}: CountTokens (counts, bills nothing), ApplyGuardrail
 *       (billed per text unit, not per token), Retrieve, RetrieveAndGenerate(Stream), InvokeFlow and the rest
 *       report no token usage</td></tr>
 * </table>
 */
public final class UsageTaps {
    private UsageTaps() {
    }

    /** A fresh tap for one call of the operation, or {@link UsageTap#NONE}. */
    public static UsageTap forOperation(BedrockOperation operation) {
        if (operation == null) {
            return UsageTap.NONE;
        }
        return switch (operation.name()) {
            case "Converse" -> JsonBodyUsageTap.converse();
            case "ConverseStream" -> new ConverseStreamUsageTap();
            case "InvokeModel" -> JsonBodyUsageTap.invokeModel();
            case "InvokeModelWithResponseStream" -> new InvokeStreamUsageTap();
            case "InvokeAgent", "InvokeInlineAgent" -> new AgentUsageTap();
            default -> UsageTap.NONE;
        };
    }
}
