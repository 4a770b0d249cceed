package io.bedrockgateway.auth;

import io.bedrockgateway.context.GatewayExchange;
import io.bedrockgateway.errors.AwsErrorWriter;
import io.bedrockgateway.errors.GatewayError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * Inbound filter 1 of 3: authenticates the caller before anything else happens. No key: 401
 * {@code AccessDeniedException}; an unknown key: 403 {@code AccessDeniedException}. Either way nothing reaches the
 * upstream. On success the principal and the header that carried the key go into the {@link GatewayExchange}.
 *
 * <p>Thread-safe: holds only the thread-safe verifier.
 */
public final class ApiKeyAuthFilter extends HttpFilter {
    private final KeyVerifier verifier;

    public ApiKeyAuthFilter(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    protected void doFilter(HttpServletRequest clientRequest, HttpServletResponse clientResponse, FilterChain chain)
            throws IOException, ServletException {
        GatewayExchange exchange = GatewayExchange.of(clientRequest);
        Optional<PresentedKey> key = ApiKeyExtractor.extract(clientRequest);
        if (key.isEmpty()) {
            AwsErrorWriter.reject(clientRequest, clientResponse, GatewayError.MISSING_KEY.exception(
                    "No gateway key. Send it as 'Authorization: Bearer <key>' (AWS_BEARER_TOKEN_BEDROCK), as the "
                            + "SigV4 access key id, or in the x-api-key header."), exchange.requestId());
            return;
        }
        Optional<GatewayPrincipal> principal = verifier.verify(key.get());
        if (principal.isEmpty()) {
            AwsErrorWriter.reject(clientRequest, clientResponse,
                    GatewayError.ACCESS_DENIED.exception("The gateway key is not valid."), exchange.requestId());
            return;
        }
        exchange.principal(principal.get());
        exchange.presentedKey(key.get());
        chain.doFilter(clientRequest, clientResponse);
    }
}
