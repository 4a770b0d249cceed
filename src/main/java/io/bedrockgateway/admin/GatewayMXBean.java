package io.bedrockgateway.admin;

import java.util.List;

/**
 * What an app server's ops console (JConsole, VisualVM, the WildFly or Tomcat manager) shows of one gateway:
 * every deployment's state and live numbers, as in {@code GET /health}, and the config reload status, with an
 * operation to reload now. Registered as {@code io.bedrockgateway:type=Gateway,context=<context path>}.
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

    /** The config file the gateway runs on. */
    String getConfigFile();

    /** The last reload attempt: status, time and message. */
    String getLastReload();

    long getReloadsApplied();

    long getReloadsRefused();

    /** Reloads the config file now; returns the one-line outcome. A broken file is refused, the old config stays. */
    String reloadConfig();
}
