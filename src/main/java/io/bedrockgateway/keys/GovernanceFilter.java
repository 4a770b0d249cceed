package io.bedrockgateway.keys;

import io.bedrockgateway.context.CallOutcome;
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

/**
 * Inbound filter between routing and signing: the governor admits the call (or refuses it in AWS's shape, before
 * anything goes upstream), and the call's end settles the admission. Runs on every {@code /bedrock} route,
 * streaming or not, runtime or agent runtime. Also takes the end user from {@code x-end-user-id}.
 *
 * <p>Every call ends exactly once through {@link GatewayExchange#complete}: the forwarding servlet completes calls
 * it relays; calls that never reach it (a refusal here or later in the chain) are completed here, even when the
 * refusal itself finishes asynchronously.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class GovernanceFilter extends HttpFilter {
    public static final String END_USER_HEADER = "x-end-user-id";
    private static final int MAX_END_USER_LENGTH = 256;

    private final Governor governor;
    private final CallAccounting accounting;

    /** @param accounting told about every call's end (spend, logs) */
    public GovernanceFilter(Governor governor, CallAccounting accounting) {
        this.governor = governor;
        this.accounting = accounting;
    }

    @Override
    protected void doFilter(HttpServletRequest clientRequest, HttpServletResponse clientResponse, FilterChain chain)
            throws IOException, ServletException {
        GatewayExchange exchange = GatewayExchange.of(clientRequest);
        exchange.onComplete(outcome -> accounting.callEnded(exchange, outcome));
        try {
            exchange.endUser(endUser(clientRequest.getHeader(END_USER_HEADER)));
            Admission admission = governor.admit(exchange.principal(), exchange.operation(),
                    exchange.route().deployment(), exchange.endUser());
            exchange.admission(admission);
        } catch (GatewayException refused) {
            AwsErrorWriter.reject(clientRequest, clientResponse, refused, exchange.requestId());
            exchange.complete(CallOutcome.early(refused.error().status()));
            return;
        }
        try {
            chain.doFilter(clientRequest, clientResponse);
        } finally {
            if (!exchange.forwarded()) { // refused further down the chain: the admission is settled here
                exchange.complete(CallOutcome.early(clientResponse.getStatus()));
            }
        }
    }

    private static String endUser(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String endUser = header.strip();
        if (endUser.length() > MAX_END_USER_LENGTH || endUser.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new GatewayException(GatewayError.VALIDATION,
                    END_USER_HEADER + " must be at most " + MAX_END_USER_LENGTH + " printable characters");
        }
        return endUser;
    }
}
