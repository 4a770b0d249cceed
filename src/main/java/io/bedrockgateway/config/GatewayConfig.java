package io.bedrockgateway.config;

import io.bedrockgateway.routing.RouteTable;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded, validated configuration. Immutable and thread-safe; a reload produces a new instance.
 *
 * @param source              the file it was read from
 * @param masterKey           {@code general_settings.master_key}, resolved, or {@code null} when not configured
 * @param maxRequestBodyBytes cap on a client request body ({@code general_settings.max_request_size_mb})
 * @param routes              aliases, deployments and the default deployment
 * @param routerSettings      the {@code router_settings} section as written (unmodifiable, possibly nested; empty
 *                            when absent), for the routing strategy and its limits
 * @param governance          keys, spend and budget settings
 */
public record GatewayConfig(Path source, String masterKey, long maxRequestBodyBytes, RouteTable routes,
                            Map<String, Object> routerSettings, GovernanceSettings governance) {
    /** Default body cap: above Bedrock's own request size limits. */
    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 32L * 1024 * 1024;

    public GatewayConfig {
        Objects.requireNonNull(routes, "routes");
        if (maxRequestBodyBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBodyBytes must be positive");
        }
        routerSettings = routerSettings == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(routerSettings));
        governance = governance == null ? GovernanceSettings.DEFAULTS : governance;
    }

    /** Without governance settings (defaults). */
    public GatewayConfig(Path source, String masterKey, long maxRequestBodyBytes, RouteTable routes,
                         Map<String, Object> routerSettings) {
        this(source, masterKey, maxRequestBodyBytes, routes, routerSettings, GovernanceSettings.DEFAULTS);
    }

    /** The original four-component form, without router settings. */
    public GatewayConfig(Path source, String masterKey, long maxRequestBodyBytes, RouteTable routes) {
        this(source, masterKey, maxRequestBodyBytes, routes, Map.of(), GovernanceSettings.DEFAULTS);
    }

    @Override
    public String toString() {
        return "GatewayConfig[source=" + source + ", masterKey=" + (masterKey == null ? "none" : "****")
                + ", maxRequestBodyBytes=" + maxRequestBodyBytes + ", aliases=" + routes.aliases() + "]";
    }
}
