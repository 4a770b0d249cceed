package io.bedrockgateway.admin;

import java.util.List;

/**
 * What an app server's ops console (JConsole, VisualVM, the WildFly or Tomcat manager) shows of one gateway:
 * every deployment's state and live numbers and the upstream connection pool, as in {@code GET /health}, and the
 * config reload status, with an operation to reload now. Registered as
 * {@code io.bedrockgateway:type=Gateway,context=<context path>}.
 *
 * <p>Implementations are thread-safe; every getter reads live state and makes no AWS call.
 */
public interface GatewayMXBean {
    /** {@code router_settings.routing_strategy}. */
    String getRoutingStrategy();

    /** Every configured deployment, in config order. */
    List<DeploymentView> getDeployments();

    int getHealthyCount();

    int getCoolingDownCount();

    /** Upstream connections carrying a call now. */
    int getUpstreamConnectionsLeased();

    /** Upstream connections kept alive, idle, for the next call. */
    int getUpstreamConnectionsAvailable();

    /** Calls waiting for an upstream connection; above 0 the pool is the bottleneck. */
    int getUpstreamConnectionsPending();

    /** The bound on upstream connections: the per-host bound summed over the upstream hosts seen. */
    int getUpstreamConnectionsMax();

    /** The config file the gateway runs on. */
    String getConfigFile();

    /** The last reload attempt: status, time and message. */
    String getLastReload();

    long getReloadsApplied();

    long getReloadsRefused();

    /** Reloads the config file now; returns the one-line outcome. A broken file is refused, the old config stays. */
    String reloadConfig();
}
