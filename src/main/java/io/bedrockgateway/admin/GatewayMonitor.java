package io.bedrockgateway.admin;

import io.bedrockgateway.config.LiveConfig;
import io.bedrockgateway.config.ReloadResult;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.DeploymentHealth;
import io.bedrockgateway.routing.DeploymentStats;
import io.bedrockgateway.upstream.UpstreamClient;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The {@link GatewayMXBean}: live deployment health and config reloads for JMX consoles. Thread-safe: reads live
 * state on each call.
 */
public final class GatewayMonitor implements GatewayMXBean {
    private static final Logger LOG = Logger.getLogger(GatewayMonitor.class.getName());

    private final LiveConfig live;
    private final DeploymentHealth health;
    private final String strategy;
    private final Clock clock;
    private final Supplier<UpstreamClient.PoolStats> pool;

    public GatewayMonitor(LiveConfig live, DeploymentHealth health, String strategy, Clock clock,
                          Supplier<UpstreamClient.PoolStats> pool) {
        this.live = live;
        this.health = health;
        this.strategy = strategy;
        this.clock = clock;
        this.pool = pool;
    }

    /**
     * Registers this monitor with the platform MBean server under {@code context} (the web application's context
     * path; several gateways in one server each get their own name).
     *
     * @return the name to unregister at shutdown, or {@code null} when JMX refused it (logged; the gateway runs on)
     */
    public ObjectName register(String context) {
        try {
            ObjectName name = new ObjectName("io.bedrockgateway", new java.util.Hashtable<>(Map.of("type", "Gateway",
                    "context", ObjectName.quote(context.isEmpty() ? "/" : context))));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            try {
                server.registerMBean(this, name);
            } catch (InstanceAlreadyExistsException stale) { // left by an undeployed copy of this WAR
                server.unregisterMBean(name);
                server.registerMBean(this, name);
            }
            return name;
        } catch (JMException | SecurityException e) {
            LOG.warning("JMX monitor not registered: " + e);
            return null;
        }
    }

    /** Unregisters {@code name} if it was registered. */
    public static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException | SecurityException e) {
            LOG.fine("JMX monitor already gone: " + e);
        }
    }

    @Override
    public String getRoutingStrategy() {
        return strategy;
    }

    @Override
    public List<DeploymentView> getDeployments() {
        long now = clock.millis();
        List<DeploymentView> views = new ArrayList<>();
        live.current().routes().deploymentsByAlias().forEach((alias, deployments) -> {
            for (Deployment deployment : deployments) {
                DeploymentStats stats = health.of(deployment);
                boolean cooling = stats.coolingDown(now);
                views.add(new DeploymentView(alias, deployment.id(), deployment.upstreamModelId(),
                        deployment.region(), stats.state(now), stats.inFlight(),
                        millis(stats.latencyMicros()), millis(stats.ttfbMicros()), stats.completed(), stats.failed(),
                        stats.lastError(), stats.cooldownsEntered(),
                        cooling ? (stats.coolingUntilMillis() - now) / 1000.0 : 0));
            }
        });
        return views;
    }

    @Override
    public int getHealthyCount() {
        return (int) getDeployments().stream().filter(view -> DeploymentStats.HEALTHY.equals(view.getState())).count();
    }

    @Override
    public int getCoolingDownCount() {
        return (int) getDeployments().stream().filter(view -> !DeploymentStats.HEALTHY.equals(view.getState())).count();
    }

    @Override
    public int getUpstreamConnectionsLeased() {
        return pool.get().leased();
    }

    @Override
    public int getUpstreamConnectionsAvailable() {
        return pool.get().available();
    }

    @Override
    public int getUpstreamConnectionsPending() {
        return pool.get().pending();
    }

    @Override
    public int getUpstreamConnectionsMax() {
        return pool.get().max();
    }

    @Override
    public String getConfigFile() {
        return String.valueOf(live.file());
    }

    @Override
    public String getLastReload() {
        ReloadResult last = live.stats().last();
        return last == null ? "none" : last.status() + " at " + last.at() + ": " + last.message();
    }

    @Override
    public long getReloadsApplied() {
        return live.stats().applied();
    }

    @Override
    public long getReloadsRefused() {
        return live.stats().failed();
    }

    @Override
    public String reloadConfig() {
        ReloadResult result = live.reload();
        return result.status() + ": " + result.message();
    }

    private static double millis(long micros) {
        return micros < 0 ? -1 : micros / 1000.0;
    }
}
