package io.bedrockgateway.routing;

import io.bedrockgateway.context.GatewayExchange;

/**
 * Says whether a call may be sent to a deployment of a fallback alias: the caller's model allow-list applies to the
 * fallback target as it does to the alias the caller named. Implementations are thread-safe and do not block.
 */
@FunctionalInterface
public interface RouteGuard {
    RouteGuard ALLOW_ALL = (exchange, target) -> true;

    boolean permits(GatewayExchange exchange, Deployment target);
}
