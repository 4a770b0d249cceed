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
import java.util.List;
import java.util.function.Supplier;

/**
 * Inbound filter 2 of 3: recognises the Bedrock operation from the raw path, resolves a model alias (or raw id)
 * to its deployments, picks one, and writes the {@link RouteDecision} into the {@link GatewayExchange}. Paths
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

    public RoutingFilter(Supplier<RouteTable> routes, RoutingStrategy strategy) {
        this.routes = routes;
        this.strategy = strategy;
    }

    @Override
    protected void doFilter(HttpServletRequest clientRequest, HttpServletResponse clientResponse, FilterChain chain)
            throws IOException, ServletException {
        GatewayExchange exchange = GatewayExchange.of(clientRequest);
        try {
            BedrockOperation operation = OperationParser.parse(clientRequest.getMethod(), rawPath(clientRequest));
            exchange.operation(operation);
            exchange.route(decide(operation, clientRequest.getQueryString()));
        } catch (GatewayException e) {
            AwsErrorWriter.reject(clientRequest, clientResponse, e, exchange.requestId());
            return;
        }
        chain.doFilter(clientRequest, clientResponse);
    }

    RouteDecision decide(BedrockOperation operation, String rawQuery) {
        RouteTable table = routes.get();
        Deployment deployment;
        String upstreamPath;
        if (operation.modelScoped()) {
            List<Deployment> candidates = table.candidates(operation.modelId());
            if (candidates.isEmpty()) {
                throw new GatewayException(GatewayError.RESOURCE_NOT_FOUND,
                        "Model '" + operation.modelId() + "' is not configured on this gateway");
            }
            deployment = candidates.size() == 1 ? candidates.get(0)
                    : strategy.select(candidates, operation.streaming());
            upstreamPath = operation.upstreamPath(deployment.upstreamModelId());
        } else {
            deployment = table.defaultDeployment();
            upstreamPath = operation.upstreamPath(null);
        }
        return new RouteDecision(deployment, deployment.endpoint(operation.service()), upstreamPath, rawQuery);
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
