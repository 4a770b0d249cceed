package io.bedrockgateway.routing;

import io.bedrockgateway.context.GatewayExchange;
import io.bedrockgateway.errors.AwsErrorWriter;
import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.errors.GatewayException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Inbound filter 2 of 3: recognises the Bedrock operation from the raw path, resolves a model alias (or raw id)
 * to its deployments, picks one, and writes the {@link RouteDecision} into the {@link GatewayExchange}, with the
 * {@link RouteSelection} that later attempts of the call (retries, fallbacks) route with. Paths
 * that are no Bedrock API get an AWS-shaped 404; the upstream host always comes from config, never from the
 * client.
 *
 * <p>Thread-safe: reads the current route table through a supplier, so a reloaded table applies to the next
 * request while calls in flight keep theirs.
 */
public final class RoutingFilter extends HttpFilter {
    /** The servlet mapping the gateway's Bedrock routes live under. */
    public static final String PREFIX = "/bedrock";

    private final Supplier<RouteTable> routes;
    private final RoutingStrategy strategy;
    private final DeploymentHealth health;
    private final LongSupplier clockMillis;
    private final RouteGuard guard;

    /**
     * @param routes      the current route table (with its router settings)
     * @param strategy    picks among the eligible deployments of an alias
     * @param health      live stats, for cooldowns
     * @param clockMillis epoch millis, for cooldowns
     * @param guard       whether a caller may use a fallback alias's deployment
     */
    public RoutingFilter(Supplier<RouteTable> routes, RoutingStrategy strategy, DeploymentHealth health,
                         LongSupplier clockMillis, RouteGuard guard) {
        this.routes = routes;
        this.strategy = strategy;
        this.health = health;
        this.clockMillis = clockMillis;
        this.guard = guard;
    }

    @Override
    protected void doFilter(HttpServletRequest clientRequest, HttpServletResponse clientResponse, FilterChain chain)
            throws IOException, ServletException {
        GatewayExchange exchange = GatewayExchange.of(clientRequest);
        try {
            BedrockOperation operation = OperationParser.parse(clientRequest.getMethod(), rawPath(clientRequest));
            exchange.operation(operation);
            RouteTable table = routes.get();
            RouteSelection selection = new RouteSelection(table, strategy, health, clockMillis, operation,
                    clientRequest.getQueryString(), stickyValue(table.settings(), clientRequest, exchange),
                    target -> guard.permits(exchange, target));
            exchange.routing(selection);
            exchange.route(selection.first());
        } catch (GatewayException e) {
            AwsErrorWriter.reject(clientRequest, clientResponse, e, exchange.requestId());
            return;
        }
        chain.doFilter(clientRequest, clientResponse);
    }

    /** The {@code sticky_by} value of this call, or {@code null}. */
    private static String stickyValue(RouterSettings settings, HttpServletRequest clientRequest,
                                      GatewayExchange exchange) {
        if (settings.stickyBy() == null) {
            return null;
        }
        if (RouterSettings.STICKY_KEY.equals(settings.stickyBy())) {
            return exchange.principal() == null ? null : exchange.principal().keyId();
        }
        String value = clientRequest.getHeader(settings.stickyHeader());
        return value == null || value.isBlank() ? null : value;
    }

    /** The still-encoded path below {@code /bedrock}: {@code getPathInfo()} would decode {@code %2F} and {@code %3A}. */
    static String rawPath(HttpServletRequest clientRequest) {
        String uri = clientRequest.getRequestURI();
        int start = clientRequest.getContextPath().length() + PREFIX.length();
        if (!uri.startsWith(PREFIX, clientRequest.getContextPath().length()) || uri.length() < start) {
            throw GatewayError.UNKNOWN_OPERATION.exception("Unknown operation " + uri);
        }
        String path = uri.substring(start);
        int matrix = path.indexOf(';');
        return matrix >= 0 ? path.substring(0, matrix) : path;
    }
}
