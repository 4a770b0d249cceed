package io.bedrockgateway.keys;

import io.bedrockgateway.routing.BedrockOperation;
import io.bedrockgateway.routing.BedrockService;
import io.bedrockgateway.auth.GatewayPrincipal;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.RouteGuard;

import java.util.List;

/**
 * A key's {@code models} list. Empty allows everything. Otherwise a model-scoped call is allowed when the name the
 * client used is listed, or the model id the gateway will actually call is listed; so a raw model id cannot slip
 * past a list of aliases. Calls that name no model are allowed only by a family marker in the list:
 * {@code bedrock-agent-runtime} (agents, knowledge bases, flows, sessions), {@code guardrails} (ApplyGuardrail) or
 * {@code async-invoke} (whose model is in the request body). Stateless and thread-safe.
 */
public final class ModelAllowList {
    public static final String AGENT_RUNTIME = "bedrock-agent-runtime";
    public static final String GUARDRAILS = "guardrails";
    public static final String ASYNC_INVOKE = "async-invoke";

    private ModelAllowList() {
    }

    /** @return {@code null} when allowed, else the reason */
    public static String denial(List<String> models, BedrockOperation operation, Deployment deployment) {
        if (models.isEmpty()) {
            return null;
        }
        if (operation.modelScoped()) {
            String requested = operation.modelId();
            boolean named = models.contains(requested)
                    || (deployment.upstreamModelId() != null && models.contains(deployment.upstreamModelId()));
            if (!named) {
                return "This key may not use model '" + requested + "'";
            }
            boolean fallback = deployment.alias() != null && !deployment.alias().equals(requested);
            return !fallback || permitsTarget(models, deployment) ? null
                    : "This key may not use model '" + deployment.alias() + "' (the fallback of '" + requested + "')";
        }
        String family = family(operation);
        return models.contains(family) ? null
                : "This key may not call " + operation.name() + " (its models list does not include '" + family + "')";
    }

    /**
     * Whether a key with {@code models} may be served by {@code target} on its own terms: its alias or its model
     * id is listed. Applies to fallback targets, which the client did not name.
     */
    public static boolean permitsTarget(List<String> models, Deployment target) {
        return models.isEmpty() || (target.alias() != null && models.contains(target.alias()))
                || (target.upstreamModelId() != null && models.contains(target.upstreamModelId()));
    }

    /** The fallback guard of the routing filter: the caller's allow-list, applied to the fallback target. */
    public static RouteGuard fallbackGuard() {
        return (exchange, target) -> {
            GatewayPrincipal principal = exchange.principal();
            VirtualKey key = principal == null ? null : principal.virtualKey();
            return key == null || permitsTarget(key.models(), target);
        };
    }

    private static String family(BedrockOperation operation) {
        if (operation.service() == BedrockService.AGENT_RUNTIME) {
            return AGENT_RUNTIME;
        }
        return operation.name().contains("Guardrail") ? GUARDRAILS : ASYNC_INVOKE;
    }
}
