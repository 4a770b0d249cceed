package io.bedrockgateway.upstream;

import io.bedrockgateway.context.GatewayExchange;
import io.bedrockgateway.routing.DeploymentHealth;
import io.bedrockgateway.spend.UsageTap;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The endpoint behind the three inbound filters: an async servlet that forwards the call the filters prepared
 * (see {@link ForwardedCall}) and returns the container thread at once.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class ForwardingServlet extends HttpServlet {
    private final Collaborators with;

    public ForwardingServlet(Collaborators with) {
        this.with = with;
    }

    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse) throws IOException {
        GatewayExchange exchange = GatewayExchange.of(clientRequest);
        if (exchange.upstreamPlan() == null) {
            throw new IllegalStateException("forwarding servlet reached without the inbound filters");
        }
        new ForwardedCall(exchange, clientRequest, clientResponse, with).start();
    }

    /**
     * What every forwarded call needs. All members are thread-safe and shared by all calls.
     *
     * @param client              the upstream HTTP client
     * @param signer              the request signer
     * @param timer               the scheduler for idle watchdogs ({@code gateway-timer})
     * @param maxRequestBodyBytes the client body cap (current config)
     * @param clientStallNanos    how long a client may accept no bytes before the relay gives up on it
     * @param usageTaps           creates the usage reader of each call
     * @param health              per-deployment live numbers, updated by every call
     */
    public record Collaborators(UpstreamClient client, RequestSigner signer, ScheduledExecutorService timer,
                                LongSupplier maxRequestBodyBytes, long clientStallNanos, UsageTap.Factory usageTaps,
                                DeploymentHealth health) {
    }
}
