package io.bedrockgateway.routing;

import java.util.List;

/**
 * Picks one deployment among the healthy candidates of an alias. Implementations are thread-safe and cheap: they
 * run on the request thread for every call.
 */
public interface RoutingStrategy {

    /**
     * @param candidates non-empty list of deployments for one alias
     * @return one of {@code candidates}
     */
    Deployment select(List<Deployment> candidates);
}
