package io.bedrockgateway.upstream;

import io.bedrockgateway.auth.PresentedKey;
import io.bedrockgateway.context.GatewayExchange;
import io.bedrockgateway.errors.AwsErrorWriter;
import io.bedrockgateway.errors.GatewayError;
import io.bedrockgateway.routing.RouteDecision;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Inbound filter 3 of 3: prepares the upstream leg while the request body is still in flight. It picks the headers
 * that may go upstream, parses the query, and starts resolving the deployment's AWS credentials (a refresh, if
 * one is due, runs concurrently with the body read). The forwarding servlet then signs the exact body bytes.
 *
 * <p>Stateless; thread-safe.
 */
public final class SigningFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest clientRequest, HttpServletResponse clientResponse, FilterChain chain)
            throws IOException, ServletException {
        GatewayExchange exchange = GatewayExchange.of(clientRequest);
        RouteDecision route = exchange.route();
        Map<String, List<String>> query;
        try {
            query = parseQuery(route.rawQuery());
        } catch (IllegalArgumentException malformed) {
            AwsErrorWriter.reject(clientRequest, clientResponse, GatewayError.VALIDATION.exception(
                    "Malformed query string: " + malformed.getMessage()), exchange.requestId());
            return;
        }
        exchange.upstreamPlan(UpstreamRequestPlan.of(clientRequest.getMethod(), route, query,
                upstreamHeaders(clientRequest, exchange.presentedKey())));
        chain.doFilter(clientRequest, clientResponse);
    }

    static Map<String, List<String>> upstreamHeaders(HttpServletRequest clientRequest, PresentedKey key) {
        Set<String> connectionTokens = HeaderRules.connectionTokens(clientRequest.getHeaders("Connection"));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(clientRequest.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HeaderRules.forwardUpstream(lower, connectionTokens)) {
                continue;
            }
            List<String> values = new ArrayList<>(1);
            for (String value : Collections.list(clientRequest.getHeaders(name))) {
                // Defence in depth: a key copied into some other header never leaves the gateway.
                if (key == null || !value.contains(key.value())) {
                    values.add(value);
                }
            }
            if (!values.isEmpty()) {
                headers.put(name, values);
            }
        }
        return headers;
    }

    /** Decodes a raw query string; the signer and the request line re-encode it canonically. */
    static Map<String, List<String>> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        return parameters;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
