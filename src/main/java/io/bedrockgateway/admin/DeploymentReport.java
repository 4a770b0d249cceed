package io.bedrockgateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bedrockgateway.routing.Deployment;
import io.bedrockgateway.routing.DeploymentHealth;
import io.bedrockgateway.routing.DeploymentStats;
import io.bedrockgateway.routing.RouteTable;
import io.bedrockgateway.routing.RouterSettings;
import io.bedrockgateway.upstream.UpstreamClient;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The body of {@code GET /health}: every configured deployment with its state ({@code healthy} or
 * {@code cooling_down}, with the reason and the time left) and its live numbers on this instance (calls in flight,
 * recent latency and time to first byte, this minute's requests and tokens, failures, last error), plus the router
 * settings in force and the upstream connection pool (leased, kept alive, waiting, bound). It makes no upstream call,
 * so it costs nothing. Thread-safe.
 */
public final class DeploymentReport implements Supplier<String> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<RouteTable> routes;
    private final DeploymentHealth health;
    private final String strategy;
    private final Clock clock;
    private final Supplier<UpstreamClient.PoolStats> pool;

    public DeploymentReport(Supplier<RouteTable> routes, DeploymentHealth health, String strategy, Clock clock,
                            Supplier<UpstreamClient.PoolStats> pool) {
        this.routes = routes;
        this.health = health;
        this.strategy = strategy;
        this.clock = clock;
        this.pool = pool;
    }

    @Override
    public String get() {
        RouteTable table = routes.get();
        RouterSettings settings = table.settings();
        ObjectNode report = JSON.createObjectNode().put("routing_strategy", strategy);
        report.putObject("router_settings")
                .put("num_retries", settings.numRetries())
                .put("allowed_fails", settings.allowedFails())
                .put("cooldown_time_s", settings.cooldownTime().toMillis() / 1000.0)
                .put("cooldowns", settings.cooldowns())
                .put("sticky_by", settings.stickyBy())
                .set("fallbacks", JSON.valueToTree(settings.fallbacks()));
        ArrayNode healthy = report.putArray("healthy_endpoints");
        ArrayNode unhealthy = report.putArray("unhealthy_endpoints");
        long now = clock.millis();
        for (Map.Entry<String, List<Deployment>> alias : table.deploymentsByAlias().entrySet()) {
            for (Deployment deployment : alias.getValue()) {
                DeploymentStats stats = health.of(deployment);
                boolean cooling = stats.coolingDown(now);
                ObjectNode node = (cooling ? unhealthy : healthy).addObject()
                        .put("model_name", alias.getKey())
                        .put("deployment", deployment.id())
                        .put("model", deployment.upstreamModelId())
                        .put("region", deployment.region())
                        .put("state", stats.state(now))
                        .put("in_flight", stats.inFlight())
                        .put("requests_this_minute", stats.requestsThisMinute(now))
                        .put("tokens_this_minute", stats.tokensThisMinute(now))
                        .put("completed", stats.completed())
                        .put("failed", stats.failed());
                putMillis(node, "latency_ms", stats.latencyMicros());
                putMillis(node, "ttfb_ms", stats.ttfbMicros());
                node.put("last_error", stats.lastError())
                        .put("cooldowns", stats.cooldownsEntered());
                if (cooling) {
                    node.put("cooling_down_for_s", (stats.coolingUntilMillis() - now) / 1000.0)
                            .put("cooldown_reason", stats.cooldownReason());
                }
            }
        }
        report.put("healthy_count", healthy.size()).put("unhealthy_count", unhealthy.size());
        UpstreamClient.PoolStats connections = pool.get();
        report.putObject("upstream_connections")
                .put("leased", connections.leased())
                .put("available", connections.available())
                .put("pending", connections.pending())
                .put("max", connections.max());
        return report.toString();
    }

    private static void putMillis(ObjectNode node, String field, long micros) {
        if (micros < 0) {
            node.putNull(field);
        } else {
            node.put(field, micros / 1000.0);
        }
    }
}
