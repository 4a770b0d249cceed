package io.bedrockgateway;

import io.bedrockgateway.admin.AdminApi;
import io.bedrockgateway.admin.DeploymentReport;
import io.bedrockgateway.admin.GatewayMonitor;
import io.bedrockgateway.admin.HealthServlet;
import io.bedrockgateway.admin.UnknownRouteServlet;
import io.bedrockgateway.auth.ApiKeyAuthFilter;
import io.bedrockgateway.auth.KeyVerifier;
import io.bedrockgateway.auth.MasterKeyVerifier;
import io.bedrockgateway.config.ConfigException;
import io.bedrockgateway.config.ConfigWatcher;
import io.bedrockgateway.config.Environment;
import io.bedrockgateway.config.GatewayConfig;
import io.bedrockgateway.config.LiveConfig;
import io.bedrockgateway.keys.ModelAllowList;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.RouteTable;
import io.bedrockgateway.routing.RoutingFilter;
import io.bedrockgateway.routing.DeploymentHealth;
import io.bedrockgateway.routing.RoutingStrategy;
import io.bedrockgateway.upstream.CredentialsExecutor;
import io.bedrockgateway.upstream.ForwardingServlet;
import io.bedrockgateway.upstream.RequestSigner;
import io.bedrockgateway.upstream.SigningFilter;
import io.bedrockgateway.upstream.UpstreamClient;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import org.apache.hc.core5.http.HttpHost;

import javax.management.ObjectName;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Wires the gateway into the servlet container: loads the config, opens the database, builds the collaborators
 * and registers, in order, the authentication, routing, governance and signing filters in front of the async
 * forwarding servlet at {@code /bedrock/*}. Declared in {@code web.xml}, so it works the same in Tomcat, Jetty, WildFly and the embedded
 * launcher. Called by the container once at start and once at stop; not used concurrently.
 *
 * <p>The config path comes from the system property {@code bedrock.gateway.config}, the environment variable
 * {@code GATEWAY_CONFIG}, or the context parameter {@code bedrock.gateway.config}, in that order.
 */
public final class GatewayBootstrap implements ServletContextListener {
    /** Context attribute holding the one-line start-up failure, read by the embedded launcher to fail fast. */
    public static final String STARTUP_ERROR_ATTRIBUTE = "io.bedrockgateway.startupError";
    public static final String CONFIG_PROPERTY = "bedrock.gateway.config";
    public static final String CONFIG_ENV = "GATEWAY_CONFIG";
    private static final Logger LOG = Logger.getLogger(GatewayBootstrap.class.getName());
    private static final long CLIENT_STALL_NANOS = TimeUnit.MINUTES.toNanos(5);

    private LiveConfig live;
    private ConfigWatcher watcher;
    private UpstreamClient upstreamClient;
    private GovernanceModule governance;
    private ScheduledExecutorService timer;
    private volatile boolean ready;
    private ObjectName monitorName;

    /**
     * Starts the gateway. When the start fails part-way, what it had opened is closed before the failure goes to
     * the container: containers do not call {@link #contextDestroyed} for a listener whose start failed, and the
     * embedded database's file lock and the client threads would otherwise outlive the failed deployment and stop
     * the next deployment in the same JVM (WildFly: "Database may be already in use").
     */
    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            start(event.getServletContext());
        } catch (RuntimeException | Error failed) {
            try {
                contextDestroyed(event);
            } catch (RuntimeException cleanup) {
                failed.addSuppressed(cleanup);
            }
            throw failed;
        }
    }

    private void start(ServletContext context) {
        Environment env = Environment.system();
        GatewayConfig config;
        try {
            live = LiveConfig.load(configPath(context, env), env);
            config = live.current();
            governance = GovernanceModule.start(config, Clock.systemUTC());
        } catch (ConfigException e) {
            String line = "invalid config: " + e.getMessage();
            context.setAttribute(STARTUP_ERROR_ATTRIBUTE, line);
            LOG.severe("bedrock-gateway: " + line);
            throw new IllegalStateException(line, e);
        }
        String generatedMaster = config.masterKey() == null ? generateMasterKey() : null;
        AtomicReference<KeyVerifier> masterRef = new AtomicReference<>(
                new MasterKeyVerifier(config.masterKey() != null ? config.masterKey() : generatedMaster));
        KeyVerifier master = presented -> masterRef.get().verify(presented);
        KeyVerifier keys = governance.keyVerifier(master);
        AtomicReference<Map<HttpHost, Duration>> connectTimeouts =
                new AtomicReference<>(connectTimeouts(config.routes()));
        upstreamClient = new UpstreamClient(UpstreamClient.Settings.defaults(), host -> connectTimeouts.get().get(host));
        timer = newTimer();

        addFilter(context, "gateway-auth", new ApiKeyAuthFilter(keys));
        DeploymentHealth health = new DeploymentHealth();
        String strategyName = (String) config.routerSettings().getOrDefault("routing_strategy", "simple-shuffle");
        RoutingStrategy strategy = RoutingStrategy.named(strategyName, health, Clock.systemUTC());
        // Each call routes with the table current when it arrives; calls in flight keep theirs across a reload.
        addFilter(context, "gateway-routing", new RoutingFilter(() -> live.current().routes(), strategy, health,
                System::currentTimeMillis, ModelAllowList.fallbackGuard()));
        addFilter(context, "gateway-governance", governance.filter());
        addFilter(context, "gateway-signing", new SigningFilter());
        ServletRegistration.Dynamic forwarding = context.addServlet("bedrock", new ForwardingServlet(
                new ForwardingServlet.Collaborators(upstreamClient, new RequestSigner(), timer,
                        () -> live.current().maxRequestBodyBytes(), CLIENT_STALL_NANOS, governance.usageTaps(),
                        health)));
        forwarding.setAsyncSupported(true);
        forwarding.addMapping(RoutingFilter.PREFIX + "/*");
        AdminApi.register(context, master, governance.database().keys(), governance.database().spendLogs(),
                governance.keyCache(), Clock.systemUTC(), endUser -> live.current().governance().endUserBudget(endUser));
        context.addServlet("health", new HealthServlet(() -> ready,
                new DeploymentReport(() -> live.current().routes(), health, strategyName, Clock.systemUTC(),
                        upstreamClient::poolStats)))
                .addMapping("/health", "/health/*");
        Set<String> taken = context.addServlet("unknown-route", new UnknownRouteServlet()).addMapping("/");
        if (!taken.isEmpty()) {
            LOG.warning("the container keeps its own default servlet; paths outside /bedrock get its 404");
        }
        live.addListener(next -> {
            masterRef.set(new MasterKeyVerifier(next.masterKey() != null ? next.masterKey() : generatedMaster));
            connectTimeouts.set(connectTimeouts(next.routes()));
            LOG.info(() -> "config reloaded: aliases " + describe(next.routes()));
        });
        watcher = ConfigWatcher.start(live);
        monitorName = new GatewayMonitor(live, health, strategyName, Clock.systemUTC(), upstreamClient::poolStats)
                .register(context.getContextPath());

        ready = true;
        LOG.info(() -> "bedrock-gateway ready: config " + config.source() + ", aliases " + describe(config.routes()));
        System.out.println("bedrock-gateway model aliases: " + describe(config.routes()));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ready = false;
        GatewayMonitor.unregister(monitorName);
        if (watcher != null) {
            watcher.close();
        }
        if (upstreamClient != null) {
            upstreamClient.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (governance != null) {
            governance.close(); // writes the spend still queued
        }
        if (live != null) {
            live.close();
        }
        CredentialsExecutor.shutdown();
    }

    private static Path configPath(ServletContext context, Environment env) throws ConfigException {
        String path = System.getProperty(CONFIG_PROPERTY);
        if (path == null || path.isBlank()) {
            path = env.get(CONFIG_ENV);
        }
        if (path == null || path.isBlank()) {
            path = context.getInitParameter(CONFIG_PROPERTY);
        }
        if (path == null || path.isBlank()) {
            throw new ConfigException("no config file given: set -D" + CONFIG_PROPERTY + "=FILE, the "
                    + CONFIG_ENV + " environment variable, or the context parameter " + CONFIG_PROPERTY);
        }
        return Path.of(path);
    }

    private static String generateMasterKey() {
        String generated = MasterKeyVerifier.generate();
        // Printed once, on purpose: a gateway must never run open, and the operator needs some key to start with.
        System.out.println("bedrock-gateway: no general_settings.master_key configured; generated one for this run: "
                + generated);
        return generated;
    }

    private static Map<HttpHost, Duration> connectTimeouts(RouteTable routes) {
        Map<HttpHost, Duration> timeouts = new HashMap<>();
        routes.deploymentsByAlias().values().forEach(list -> list.forEach(d -> putTimeouts(timeouts, d)));
        putTimeouts(timeouts, routes.defaultDeployment());
        return Map.copyOf(timeouts);
    }

    private static void putTimeouts(Map<HttpHost, Duration> timeouts, Deployment deployment) {
        for (URI endpoint : List.of(deployment.runtimeEndpoint(), deployment.agentRuntimeEndpoint())) {
            HttpHost host = new HttpHost(endpoint.getScheme(), endpoint.getHost(), port(endpoint));
            timeouts.merge(host, deployment.timeouts().connect(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
    }

    private static int port(URI endpoint) {
        if (endpoint.getPort() > 0) {
            return endpoint.getPort();
        }
        return "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    }

    private static void addFilter(ServletContext context, String name, Filter filter) {
        FilterRegistration.Dynamic registration = context.addFilter(name, filter);
        registration.setAsyncSupported(true);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, RoutingFilter.PREFIX + "/*");
    }

    private static ScheduledExecutorService newTimer() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "gateway-timer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(executor);
    }

    private static String describe(RouteTable routes) {
        StringBuilder out = new StringBuilder();
        routes.deploymentsByAlias().forEach((alias, deployments) -> {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(alias).append(" -> ");
            for (int i = 0; i < deployments.size(); i++) {
                Deployment d = deployments.get(i);
                out.append(i == 0 ? "" : " | ").append(d.upstreamModelId()).append(" @ ").append(d.region());
            }
        });
        return out.length() == 0 ? "(none; raw model ids pass through: " + routes.passThroughUnknownModels() + ")"
                : out.toString();
    }
}
